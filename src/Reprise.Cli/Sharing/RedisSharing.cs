using Reprise.Cli.Console;
using Reprise.Cli.Parsing;
using Reprise.Hosts;
using Reprise.Redis;
using StackExchange.Redis;

namespace Reprise.Cli.Sharing;

/// <summary>
/// <c>--redis &lt;connection&gt;</c> of <c>get</c> and <c>fetch</c>: the connection and the host state shared over it,
/// for one run. Redis failing never fails the run: the hosts' state stays local and one line on stderr says so.
/// </summary>
internal sealed class RedisSharing : IAsyncDisposable
{
    private readonly IConnectionMultiplexer? _connection;
    private readonly RedisHostState? _state;
    private readonly TextWriter? _statsTo;

    private RedisSharing(IConnectionMultiplexer? connection, RedisHostState? state, TextWriter? statsTo)
    {
        _connection = connection;
        _state = state;
        _statsTo = statsTo;
    }

    /// <summary>Gets the state to set as <see cref="HostCoordinationOptions.SharedState"/>; null without <c>--redis</c>.</summary>
    public ISharedHostState? State => _state;

    /// <summary>
    /// Connects (never failing: a Redis that is down is retried in the background) and makes the first calls before the
    /// run starts, waiting at most <paramref name="connectTimeout"/> for both, so that a cold connection does not exceed
    /// the calls' timeout; past it, one line on stderr says the run starts with local state. Shares nothing without
    /// <c>--redis</c>.
    /// </summary>
    /// <param name="configuration">The <c>--redis</c> value, or null.</param>
    /// <param name="timeout">The <c>--redis-timeout</c> value: the longest one Redis call may take.</param>
    /// <param name="connectTimeout">The <c>--redis-connect-timeout</c> value: the longest wait for the connection and the first calls.</param>
    /// <param name="console">Where the lines about Redis go.</param>
    /// <param name="writeStats">Whether to end with a line of the Redis round trips made (<c>fetch</c>'s summary).</param>
    /// <param name="cancellationToken">Stops the warm-up.</param>
    public static async Task<RedisSharing> OpenAsync(
        string? configuration, TimeSpan timeout, TimeSpan connectTimeout, CliConsole console, bool writeStats, CancellationToken cancellationToken)
    {
        if (configuration is null)
        {
            return new RedisSharing(null, null, null);
        }

        var log = new StderrLoggerFactory(console.Error);
        long started = TimeProvider.System.GetTimestamp();
        var connection = RedisConnections.Connect(configuration, connectTimeout);
        if (!connection.IsConnected)
        {
            log.SayDown($"cannot reach {Redact(configuration)} within {DurationParser.Format(connectTimeout)} (--redis-connect-timeout); hosts' state stays local until it answers (retried in the background).");
        }

        var state = new RedisHostState(connection, new RedisHostStateOptions { OperationTimeout = timeout }, loggerFactory: log);
        if (connection.IsConnected)
        {
            // The first calls carry the code's first use and the server's script cache: they share the connect's bound.
            var left = connectTimeout - TimeProvider.System.GetElapsedTime(started);
            if (left <= TimeSpan.Zero || !await state.WarmUpAsync(left, cancellationToken).ConfigureAwait(false))
            {
                log.SayDown($"{Redact(configuration)} did not answer its first calls within {DurationParser.Format(connectTimeout)} (--redis-connect-timeout); the run starts with local state and shares it once Redis answers within --redis-timeout.");
            }
        }

        return new RedisSharing(connection, state, writeStats ? console.Error : null);
    }

    // A configuration string may hold a password: only the endpoints are shown.
    private static string Redact(string configuration)
        => string.Join(",", ConfigurationOptions.Parse(configuration).EndPoints.Select(static e => EndPointCollection.ToString(e)));

    /// <summary>Lets the last shared writes (a pause, a probe's outcome) reach Redis, then closes the connection.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_connection is null)
        {
            return;
        }

        _state?.Dispose();
        if (_statsTo is not null && _state is not null)
        {
            // Counted by the client: the figure docs/scale-out.md gives per request (target at most 0.05).
            _statsTo.WriteLine(string.Create(
                System.Globalization.CultureInfo.InvariantCulture,
                $"redis: {_state.RoundTrips} round trip(s), {_state.Fallbacks} failed or too slow"));
        }

        await _connection.CloseAsync(allowCommandsToComplete: true).ConfigureAwait(false);
        _connection.Dispose();
    }
}
