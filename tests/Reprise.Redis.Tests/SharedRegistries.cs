using Microsoft.Extensions.Time.Testing;
using Reprise.Hosts;
using StackExchange.Redis;

namespace Reprise.Redis.Tests;

/// <summary>Several "processes" in one test: each a registry with its own Redis connection and shared state, one fake clock.</summary>
internal sealed class SharedRegistries : IDisposable
{
    private readonly List<IConnectionMultiplexer> _connections = [];

    public SharedRegistries(RedisServerFixture server, int count, Action<HostCoordinationOptions>? configure = null, Action<RedisHostStateOptions>? redis = null)
    {
        for (int i = 0; i < count; i++)
        {
            var connection = server.Connect();
            _connections.Add(connection);
            var redisOptions = new RedisHostStateOptions { KeyPrefix = Prefix, OperationTimeout = TimeSpan.FromSeconds(2) };
            redis?.Invoke(redisOptions);
            var shared = new RedisHostState(connection, redisOptions, Time);
            States.Add(shared);
            var options = new HostCoordinationOptions { SharedState = shared };
            configure?.Invoke(options);
            Registries.Add(new HostRegistry(options, Time, static () => 0.5));
        }
    }

    public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

    /// <summary>Gets a prefix of this test's own, so tests sharing a server never see each other's keys.</summary>
    public string Prefix { get; } = "t" + Guid.NewGuid().ToString("N")[..8];

    public List<RedisHostState> States { get; } = [];

    public List<HostRegistry> Registries { get; } = [];

    /// <summary>
    /// Makes each state's first calls (connection, scripts) before the test's own, so that a cold server's first answer
    /// cannot exceed the operation timeout and set a registry on its local state.
    /// </summary>
    public async Task WarmUpAsync()
    {
        foreach (var state in States)
        {
            Assert.True(await state.WarmUpAsync(TimeSpan.FromSeconds(10)), "Redis did not answer the warm-up.");
        }
    }

    /// <summary>Waits (real time, bounded) until no background Redis call is under way: before moving simulated time on.</summary>
    public async Task SettleAsync()
    {
        for (int i = 0; i < 500 && States.Any(s => s.InFlight > 0); i++)
        {
            await Task.Delay(2);
        }
    }

    /// <summary>Waits (real time, bounded) until <paramref name="condition"/> holds, settling between looks.</summary>
    public async Task<bool> EventuallyAsync(Func<bool> condition)
    {
        for (int i = 0; i < 600; i++)
        {
            await SettleAsync();
            if (condition())
            {
                return true;
            }

            await Task.Delay(10);
        }

        return condition();
    }

    public void Dispose()
    {
        foreach (var state in States)
        {
            state.Dispose();
        }

        foreach (var connection in _connections)
        {
            connection.Dispose();
        }
    }
}
