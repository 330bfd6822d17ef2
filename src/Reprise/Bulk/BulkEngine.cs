using System.Net;
using System.Runtime.CompilerServices;
using Reprise.Hosts;
using Reprise.Retry;
using Reprise.Telemetry;
using Reprise.Transport;

namespace Reprise.Bulk;

/// <summary>
/// Fetches many requests concurrently, each retried on its own statuses, one failure never harming the others.
/// Requests to one host share one view of that host through a <see cref="HostRegistry"/>.
/// </summary>
/// <remarks>
/// <para>
/// The data path: read a request when a slot of <see cref="BulkOptions.MaxPendingRequests"/> is free, ask its host
/// for a permit, send, classify the outcome with the same rules as <see cref="RepriseHandler"/>, then return the
/// result or park the request in a time-ordered queue until its retry is due. A parked request holds no worker, so
/// <see cref="BulkOptions.MaxConcurrency"/> workers serve other requests meanwhile, and a paused host never delays
/// another host's requests. docs/bulk-engine.md explains the design.
/// </para>
/// <para>
/// An engine may run several enumerations at once; they share its handler, its host registry and its counters.
/// </para>
/// </remarks>
public sealed class BulkEngine : IDisposable
{
    private readonly HttpMessageInvoker _invoker;
    private int _disposed;

    /// <summary>
    /// Initializes a new instance of the <see cref="BulkEngine"/> class that sends through a
    /// <see cref="SocketsHttpHandler"/> of its own, disposed with the engine.
    /// </summary>
    /// <param name="options">The options; validated here.</param>
    /// <param name="hosts">The host registry to share; a registry of this engine's own when null.</param>
    /// <param name="timeProvider">
    /// The time source: with <paramref name="hosts"/>, null or the registry's own (<see cref="HostRegistry.TimeProvider"/>);
    /// without, the time source of the engine's own registry (<see cref="TimeProvider.System"/> when null).
    /// </param>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">An option is out of range.</exception>
    /// <exception cref="ArgumentException"><paramref name="timeProvider"/> is not the time source of <paramref name="hosts"/>.</exception>
    public BulkEngine(BulkOptions options, HostRegistry? hosts = null, TimeProvider? timeProvider = null)
        : this(CreateDefaultHandler(options), disposeHandler: true, options, hosts, timeProvider, telemetry: null)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="BulkEngine"/> class that sends through the caller's handler.</summary>
    /// <param name="handler">The handler that sends each attempt; not disposed by the engine.</param>
    /// <param name="options">The options; validated here.</param>
    /// <param name="hosts">The host registry to share; a registry of this engine's own when null.</param>
    /// <param name="timeProvider">
    /// The time source: with <paramref name="hosts"/>, null or the registry's own (<see cref="HostRegistry.TimeProvider"/>);
    /// without, the time source of the engine's own registry (<see cref="TimeProvider.System"/> when null).
    /// </param>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">An option is out of range.</exception>
    /// <exception cref="ArgumentException"><paramref name="timeProvider"/> is not the time source of <paramref name="hosts"/>.</exception>
    public BulkEngine(HttpMessageHandler handler, BulkOptions options, HostRegistry? hosts = null, TimeProvider? timeProvider = null)
        : this(handler ?? throw new ArgumentNullException(nameof(handler)), disposeHandler: false, options, hosts, timeProvider, telemetry: null)
    {
    }

    /// <summary>Dependency injection's engine: a registry from <c>HostRegistryProvider</c>, telemetry from the container.</summary>
    internal BulkEngine(BulkOptions options, HostRegistry hosts, RepriseTelemetry telemetry)
        : this(CreateDefaultHandler(options), disposeHandler: true, options, hosts, hosts.TimeProvider, telemetry)
    {
    }

    private BulkEngine(HttpMessageHandler handler, bool disposeHandler, BulkOptions options, HostRegistry? hosts, TimeProvider? timeProvider, RepriseTelemetry? telemetry)
    {
        BulkOptionsValidator.ThrowIfInvalid(options);
        TimeProvider = HostRegistry.SharedTimeProvider(hosts, timeProvider, nameof(timeProvider));
        Policy = new RetryPolicy(options.Retry, TimeProvider);
        Hosts = hosts ?? new HostRegistry(TimeProvider);
        MaxConcurrency = options.MaxConcurrency;
        MaxPendingRequests = options.MaxPendingRequests;
        BodyHandling = options.BodyHandling;
        MaxBodyInMemory = options.MaxBodyInMemory;
        MaxBodySize = options.MaxBodySize;
        BodySink = options.BodySink;

        // A copy: the options may change after the engine is built; the list is read by every attempt.
        DefaultHeaders = options.DefaultHeaders is { Count: > 0 } headers ? [.. headers] : null;
        Telemetry = telemetry ?? RepriseTelemetry.Create(options.Retry.Telemetry, category: RepriseTelemetry.BulkEngineCategory);
        Telemetry.Observe(Hosts);
        _invoker = new HttpMessageInvoker(handler, disposeHandler);
    }

    /// <summary>Gets the host registry this engine shares: read its hosts' state for a progress display.</summary>
    public HostRegistry Hosts { get; }

    internal TimeProvider TimeProvider { get; }

    internal RetryPolicy Policy { get; }

    internal HttpMessageInvoker Invoker => _invoker;

    internal BulkCounters Counters { get; } = new();

    internal RepriseTelemetry Telemetry { get; }

    internal int MaxConcurrency { get; }

    internal int MaxPendingRequests { get; }

    internal BulkBodyHandling BodyHandling { get; }

    internal long MaxBodyInMemory { get; }

    internal long MaxBodySize { get; }

    internal IBulkBodySink? BodySink { get; }

    internal IReadOnlyList<KeyValuePair<string, string>>? DefaultHeaders { get; }

    /// <summary>Gets a snapshot of the counters of every run of this engine.</summary>
    /// <returns>The counts at this moment.</returns>
    public BulkProgress GetProgress() => Counters.Snapshot();

    /// <summary>
    /// Runs the requests and yields one result for each, in the order they complete. The input is read lazily,
    /// never more than <see cref="BulkOptions.MaxPendingRequests"/> requests ahead of the results taken.
    /// </summary>
    /// <param name="requests">The requests; enumerated once, with the run's cancellation token.</param>
    /// <param name="cancellationToken">
    /// Cancels the run: no more input is read and no new attempt is sent, attempts in flight are cancelled, and every
    /// request already read still yields a result (<see cref="BulkOutcome.Cancelled"/> unless it had ended). The
    /// enumeration then completes normally, without throwing.
    /// </param>
    /// <returns>The results, in completion order.</returns>
    /// <remarks>
    /// Stopping the enumeration early (<c>break</c>) cancels the run the same way and waits for it to wind down.
    /// An exception thrown by the input stops the reading; the requests already read run to their end, their results
    /// are yielded, then the enumeration throws that exception.
    /// </remarks>
    public IAsyncEnumerable<BulkResult> RunAsync(IAsyncEnumerable<BulkRequest> requests, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return RunCoreAsync(requests, cancellationToken);
    }

    /// <summary>Disposes the engine's own handler, if it created one. Runs still going fail their next attempts.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _invoker.Dispose();
        }
    }

    private static HttpMessageHandler CreateDefaultHandler(BulkOptions options)
    {
        BulkOptionsValidator.ThrowIfInvalid(options);
        var sockets = new SocketsHttpHandler
        {
            // Renewed connections see DNS changes on long runs; idle ones are closed by the default idle timeout.
            PooledConnectionLifetime = BulkDefaults.PooledConnectionLifetime,

            // The workers already bound the connections; a lower per-server cap would queue attempts inside the
            // handler, where their time counts against the attempt timeout.
            MaxConnectionsPerServer = Math.Max(options.MaxConcurrency, 2),
            EnableMultipleHttp2Connections = true,
            AutomaticDecompression = DecompressionMethods.All,

            // A million URLs must not fill a cookie jar, nor one response's cookies leak into other requests.
            UseCookies = false,
        };

        // Redirects, credentials in URLs, malformed lengths and the pool's own re-sends, all within bounds.
        return new RepriseTransportHandler(sockets, options.Redirects);
    }

    private async IAsyncEnumerable<BulkResult> RunCoreAsync(IAsyncEnumerable<BulkRequest> requests, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var run = new BulkRun(this, cancellationToken);
        run.Start(requests);
        try
        {
            var reader = run.Results;

            // Read without the token: after a cancellation the run still yields a result for every request it read.
            while (await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                while (reader.TryRead(out var result))
                {
                    yield return result;

                    // The caller has the result: only now does its request stop counting against MaxPendingRequests.
                    run.ReleasePendingSlot();
                }
            }

            await run.Completion.ConfigureAwait(false);
            run.ThrowIfInputFailed();
        }
        finally
        {
            await run.StopAsync().ConfigureAwait(false);
        }
    }
}
