using System.Diagnostics;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Reprise.Hosts;
using StackExchange.Redis;

namespace Reprise.Redis.Tests;

/// <summary>Several "processes" in one test: each a registry with its own Redis connection and shared state, one fake clock.</summary>
internal sealed class SharedRegistries : IDisposable
{
    private readonly List<IConnectionMultiplexer> _connections = [];
    private readonly FakeLogCollector _log = new();
    private readonly ILoggerFactory _loggerFactory;

    public SharedRegistries(RedisServerFixture server, int count, Action<HostCoordinationOptions>? configure = null, Action<RedisHostStateOptions>? redis = null)
    {
        _loggerFactory = LoggerFactory.Create(builder => builder.AddProvider(new FakeLoggerProvider(_log)));
        for (int i = 0; i < count; i++)
        {
            var connection = server.Connect();
            _connections.Add(connection);
            var redisOptions = new RedisHostStateOptions { KeyPrefix = Prefix, OperationTimeout = TimeSpan.FromSeconds(10) };
            redis?.Invoke(redisOptions);
            var shared = new RedisHostState(connection, redisOptions, Time, _loggerFactory);
            States.Add(shared);
            var options = new HostCoordinationOptions { SharedState = shared };
            configure?.Invoke(options);
            Registries.Add(new HostRegistry(options, Time, static () => 0.5));
        }
    }

    /// <summary>How many times <see cref="RunAsync"/> runs a test whose server failed a call.</summary>
    private const int MaxRuns = 3;

    private bool _warmUpFailed;

    /// <summary>
    /// Runs <paramref name="test"/> on fresh registries made by <paramref name="create"/>, warmed up; runs it again, at
    /// most <see cref="MaxRuns"/> times in all, when it failed after the server failed a call (a state fell back to
    /// local, or the warm-up went unanswered): Garnet now and then answers a script with "Unexpected Lua error" on a
    /// loaded machine, which sets every registry on its local state and is no verdict on the logic under test. A test
    /// that fails with every call answered fails at once; the last run's failure names the server's errors. A test that
    /// stops the server itself passes <paramref name="againWhenFellBack"/> false: only an unanswered warm-up counts then.
    /// </summary>
    public static async Task RunAsync(Func<SharedRegistries> create, Func<SharedRegistries, Task> test, bool againWhenFellBack = true)
    {
        for (int run = 1; ; run++)
        {
            using var shared = create();
            try
            {
                await shared.WarmUpAsync();
                await test(shared);
                return;
            }
            catch (Exception) when (run < MaxRuns && shared.ServerFailed(againWhenFellBack))
            {
                // The server's fault, not the logic's: again, on fresh registries and keys.
            }
            catch (Exception ex) when (shared.ServerFailed(againWhenFellBack))
            {
                throw new InvalidOperationException($"The server failed a call in each of {MaxRuns} runs: {shared.Warnings}", ex);
            }
        }
    }

    /// <summary>How long a test waits (real time) for Redis calls or a condition: the operation timeout's thrice; a bound, not a measure.</summary>
    public static TimeSpan Patience { get; } = TimeSpan.FromSeconds(30);

    public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

    /// <summary>Gets a prefix of this test's own, so tests sharing a server never see each other's keys.</summary>
    public string Prefix { get; } = "t" + Guid.NewGuid().ToString("N")[..8];

    public List<RedisHostState> States { get; } = [];

    public List<HostRegistry> Registries { get; } = [];

    /// <summary>Tells whether the server failed a call: the warm-up went unanswered, or (when asked) a state fell back to local.</summary>
    private bool ServerFailed(bool fellBackCounts) => _warmUpFailed || (fellBackCounts && States.Any(s => s.Fallbacks > 0));

    /// <summary>Gets what the states logged at warning or above (a Redis call that failed), for a failed assertion's message.</summary>
    public string Warnings => string.Join(" | ", _log.GetSnapshot().Where(r => r.Level >= LogLevel.Warning).Select(r => $"{r.Message} {r.Exception?.Message}"));

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

            _warmUpFailed |= !answered;
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

        _loggerFactory.Dispose();
    }
}
