using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Reprise.Redis;

/// <summary>
/// Every Redis call goes through here: bounded by the operation timeout, counted, and never throwing. A failure marks
/// Redis down (one log line, a metric per fallback); while down nothing is sent but a PING every rejoin interval; when
/// it answers the link is up again and <see cref="Rejoined"/> fires so local knowledge is merged back.
/// </summary>
internal sealed class RedisLink
{
    private readonly IConnectionMultiplexer _connection;
    private readonly RedisHostStateOptions _options;
    private readonly ILogger _logger;
    private readonly Counter<long> _roundTripCounter;
    private readonly Counter<long> _fallbackCounter;
    private long _roundTrips;

    private long _fallbacks;
    private int _down;

    public RedisLink(IConnectionMultiplexer connection, RedisHostStateOptions options, ILogger logger, Meter meter)
    {
        _connection = connection;
        _options = options;
        _logger = logger;
        _roundTripCounter = meter.CreateCounter<long>("reprise.redis.round_trips", "{call}", "Redis calls made to share host state.");
        _fallbackCounter = meter.CreateCounter<long>("reprise.redis.fallbacks", "{call}", "Redis calls that failed or timed out; the registries went on with their local state.");
    }

    /// <summary>Raised (on a pool thread) when Redis answers again after a failure.</summary>
    public event Action? Rejoined;

    public bool IsUp => Volatile.Read(ref _down) == 0;

    public long RoundTrips => Interlocked.Read(ref _roundTrips);

    public long Fallbacks => Interlocked.Read(ref _fallbacks);

    /// <summary>Gets the database, for calls outside the link's bounds (the warm-up).</summary>
    public IDatabase Database => _connection.GetDatabase();

    /// <summary>Runs one Redis call; returns default when Redis is down, slow or failing (never throws).</summary>
    public async Task<T?> RunAsync<T>(Func<IDatabase, Task<T>> call)
    {
        if (!IsUp)
        {
            return default;
        }

        Interlocked.Increment(ref _roundTrips);
        _roundTripCounter.Add(1);
        try
        {
            // Real time, not the registry's clock: this bounds a network call.
            return await call(_connection.GetDatabase()).WaitAsync(_options.OperationTimeout).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Redis failing must never fail a request: every failure falls back to local state.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            OnFailure(ex);
            return default;
        }
    }

    /// <summary>Subscribes to the change channel; a lost subscription is restored by the client when it reconnects.</summary>
    public async Task SubscribeAsync(Action<string> onMessage)
    {
        try
        {
            var channel = await _connection.GetSubscriber()
                .SubscribeAsync(RedisChannel.Literal(_options.KeyPrefix + ":events")).ConfigureAwait(false);
            channel.OnMessage(message => onMessage(message.Message.ToString()));
        }
#pragma warning disable CA1031 // No subscription only delays what the cache refresh brings anyway.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            OnFailure(ex);
        }
    }

    private void OnFailure(Exception ex)
    {
        Interlocked.Increment(ref _fallbacks);
        _fallbackCounter.Add(1);
        if (Interlocked.Exchange(ref _down, 1) == 0)
        {
            Log.RedisDown(_logger, _options.OperationTimeout.TotalMilliseconds, ex.GetType().Name, ex);
            _ = RejoinAsync();
        }
    }

    /// <summary>While down, pings Redis every rejoin interval (real time: it paces network calls) until it answers.</summary>
    private async Task RejoinAsync()
    {
        while (!IsUp)
        {
            await Task.Delay(_options.RejoinInterval, TimeProvider.System).ConfigureAwait(false);
            await PingAsync().ConfigureAwait(false);
        }
    }

    private async Task PingAsync()
    {
        try
        {
            Interlocked.Increment(ref _roundTrips);
            _roundTripCounter.Add(1);
            await _connection.GetDatabase().PingAsync().WaitAsync(_options.OperationTimeout).ConfigureAwait(false);
            Volatile.Write(ref _down, 0);
            Log.RedisRejoined(_logger);
            Rejoined?.Invoke();
        }
#pragma warning disable CA1031 // Still down: try again after the interval.
        catch (Exception)
#pragma warning restore CA1031
        {
            Interlocked.Increment(ref _fallbacks);
            _fallbackCounter.Add(1);
        }
    }
}
