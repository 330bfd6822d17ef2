using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Reprise.Cli.Console;
using Reprise.Hosts;

namespace Reprise.Cli.Fetch;

/// <summary>
/// What the client itself did to each host during a run: paused it on a server's Retry-After, opened Reprise's own
/// circuit breaker, held retries back, throttled it to a rate, limited its requests in flight, or met the
/// <c>--per-host</c> cap. It hears the engine's host events through a logger factory given to the engine's
/// telemetry options, and samples the hosts' snapshots for the limits.
/// </summary>
internal sealed class HostActivity : ILoggerFactory, ILogger
{

    private readonly ConcurrentDictionary<string, HostActions> _hosts = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly int _perHost;

    public HostActivity(TimeProvider time, int perHost)
    {
        _time = time;
        _perHost = perHost;
    }

    /// <summary>Gets the actions taken on a host (scheme://host:port), or null when the client did nothing to it.</summary>
    public HostActions? For(string host) => _hosts.GetValueOrDefault(host);

    /// <summary>Records the limits the hosts are under now; called a few times a second while the run goes on.</summary>
    /// <param name="snapshots">The hosts as they are now.</param>
    /// <param name="waitingForHost">The engine's requests waiting for their host: the bulk engine parks them in lines of its own, which a snapshot's <see cref="HostSnapshot.Waiting"/> does not count.</param>
    public void Sample(IEnumerable<HostSnapshot> snapshots, long waitingForHost)
    {
        foreach (var host in snapshots)
        {
            var waitingOnSlots = (host.Waiting > 0 || waitingForHost > 0) && host.InFlight >= host.ConcurrencyLimit && host.PausedUntil is null;
            if (host.Rate is null && !waitingOnSlots && host.ConcurrencyLimit >= _perHost)
            {
                continue;
            }

            var actions = Get(host.Host);
            lock (actions)
            {
                actions.Observe(host, waitingOnSlots, _perHost);
            }
        }
    }

    public ILogger CreateLogger(string categoryName) => this;

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (eventId.Id is not (RepriseLogEvents.HostPaused or RepriseLogEvents.RetryThrottled or RepriseLogEvents.CircuitChanged) || state is not IReadOnlyList<KeyValuePair<string, object?>> values)
        {
            return;
        }

        if (Value(values, "Host") is not string host)
        {
            return;
        }

        var actions = Get(host);
        var now = _time.GetUtcNow();
        lock (actions)
        {
            switch (eventId.Id)
            {
                case RepriseLogEvents.HostPaused:
                    actions.Paused(now, TimeSpan.FromMilliseconds(Value(values, "PauseMs") is double ms ? ms : 0));
                    break;
                case RepriseLogEvents.RetryThrottled:
                    actions.RetriesHeldBack++;
                    break;
                default:
                    actions.CircuitChanged(now, Value(values, "FromState") as string, Value(values, "ToState") as string);
                    break;
            }
        }
    }

    public void Dispose()
    {
    }

    /// <summary>Says what was done to the host, as the summary and the progress lines show it, or null for nothing.</summary>
    public string? Describe(string host)
    {
        if (For(host) is not { } actions)
        {
            return null;
        }

        lock (actions)
        {
            return actions.Describe(_time.GetUtcNow(), _perHost);
        }
    }

    private static object? Value(IReadOnlyList<KeyValuePair<string, object?>> values, string name)
    {
        foreach (var (key, value) in values)
        {
            if (key == name)
            {
                return value;
            }
        }

        return null;
    }

    private HostActions Get(string host) => _hosts.GetOrAdd(host, static _ => new HostActions());
}
