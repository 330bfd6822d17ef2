using System.Diagnostics;
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
            var redisOptions = new RedisHostStateOptions { KeyPrefix = Prefix, OperationTimeout = TimeSpan.FromSeconds(10) };
            redis?.Invoke(redisOptions);
            var shared = new RedisHostState(connection, redisOptions, Time);
            States.Add(shared);
            var options = new HostCoordinationOptions { SharedState = shared };
            configure?.Invoke(options);
            Registries.Add(new HostRegistry(options, Time, static () => 0.5));
        }
    }

    /// <summary>How long a test waits (real time) for Redis calls or a condition: the operation timeout's thrice; a bound, not a measure.</summary>
    public static TimeSpan Patience { get; } = TimeSpan.FromSeconds(30);

    public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

    /// <summary>Gets a prefix of this test's own, so tests sharing a server never see each other's keys.</summary>
    public string Prefix { get; } = "t" + Guid.NewGuid().ToString("N")[..8];

    public List<RedisHostState> States { get; } = [];

    public List<HostRegistry> Registries { get; } = [];

    /// <summary>
    /// Makes each state's first calls (connection, scripts) before the test's own, so that a cold server's first answer
    /// cannot exceed the operation timeout and set a registry on its local state. Garnet now and then answers a script's
    /// first run on a busy machine with "Unexpected Lua error" (not seen on a later run): tried up to three times.
    /// </summary>
    public async Task WarmUpAsync()
    {
        foreach (var state in States)
        {
            bool answered = false;
            for (int attempt = 0; attempt < 3 && !answered; attempt++)
            {
                answered = await state.WarmUpAsync(TimeSpan.FromSeconds(10));
            }

            Assert.True(answered, "Redis did not answer the warm-up.");
        }
    }

    /// <summary>
    /// Waits (real time, bounded by far more than any call takes, even on a loaded machine) until no background Redis
    /// call is under way: before moving simulated time on.
    /// </summary>
    public async Task SettleAsync()
    {
        var watch = Stopwatch.StartNew();
        while (States.Any(s => s.InFlight > 0) && watch.Elapsed < Patience)
        {
            await Task.Delay(1);
        }
    }

    /// <summary>Waits (real time, bounded) until <paramref name="condition"/> holds, settling between looks.</summary>
    public async Task<bool> EventuallyAsync(Func<bool> condition)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < Patience)
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
