using System.Collections.ObjectModel;
using Reprise.Chaos.Configuration;
using Reprise.Chaos.Hosting;
using Reprise.Chaos.Stats;

namespace Reprise.Chaos;

/// <summary>
/// A real Kestrel server on 127.0.0.1 whose routes misbehave on purpose, exactly and repeatably.
/// It serves one or more chaos hosts, each on its own port with its own routes and statistics.
/// </summary>
/// <example>
/// <code>
/// await using var server = await ChaosServer.StartAsync(new ChaosHostOptions
/// {
///     Routes = { new ChaosRouteOptions { Path = "/flaky", Sequence = "503,503,200" } },
/// });
/// using var client = new HttpClient { BaseAddress = server.BaseAddress };
/// </code>
/// </example>
public sealed class ChaosServer : IAsyncDisposable
{
    private readonly KestrelHostBuilder.Built _built;
    private int _disposed;

    private ChaosServer(KestrelHostBuilder.Built built, IList<ChaosHost> hosts)
    {
        _built = built;
        DefaultHost = hosts[0];
        Hosts = new ReadOnlyDictionary<string, ChaosHost>(hosts.ToDictionary(static h => h.Name, StringComparer.Ordinal));
    }

    /// <summary>Gets the running hosts, by name.</summary>
    public IReadOnlyDictionary<string, ChaosHost> Hosts { get; }

    /// <summary>Gets the first host configured: the only one in the single-host case.</summary>
    public ChaosHost DefaultHost { get; }

    /// <summary>Gets the address of the first host, for example <c>http://127.0.0.1:40123/</c>.</summary>
    public Uri BaseAddress => DefaultHost.BaseAddress;

    /// <summary>Gets the port of the first host.</summary>
    public int Port => DefaultHost.Port;

    /// <summary>Gets a new snapshot of the first host's counters each time it is read.</summary>
    public ChaosStats Stats => DefaultHost.Stats;

    /// <summary>Gets the absolute address of <paramref name="relativePath"/> on the first host.</summary>
    /// <param name="relativePath">A path such as <c>/flaky/1</c>.</param>
    /// <returns>The absolute address.</returns>
    public Uri GetUri(string relativePath) => DefaultHost.GetUri(relativePath);

    /// <summary>Starts a server with one host.</summary>
    /// <param name="host">The host's options.</param>
    /// <param name="timeProvider">The clock of latency, trickling, outage windows and Retry-After; <see langword="null"/> for the system clock.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running server; dispose it to stop it.</returns>
    /// <exception cref="ChaosOptionsException">A value is out of range.</exception>
    public static Task<ChaosServer> StartAsync(ChaosHostOptions host, TimeProvider? timeProvider = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(host);
        return StartAsync(new ChaosOptions { Hosts = { host } }, timeProvider, cancellationToken);
    }

    /// <summary>Starts a server with every host of <paramref name="options"/>, each on its own port.</summary>
    /// <param name="options">The server's options.</param>
    /// <param name="timeProvider">The clock of latency, trickling, outage windows and Retry-After; <see langword="null"/> for the system clock.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running server; dispose it to stop it.</returns>
    /// <exception cref="ChaosOptionsException">A value is out of range.</exception>
    public static async Task<ChaosServer> StartAsync(ChaosOptions options, TimeProvider? timeProvider = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var built = KestrelHostBuilder.Build(options, timeProvider ?? TimeProvider.System);
        try
        {
            await built.App.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await built.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        var hosts = built.Engines.Select((engine, i) => new ChaosHost(engine, built.BoundPort(i))).ToList();
        return new ChaosServer(built, hosts);
    }

    /// <summary>Zeroes the counters of every host; behaviour state is kept.</summary>
    public void ResetStats()
    {
        foreach (var host in Hosts.Values)
        {
            host.ResetStats();
        }
    }

    /// <summary>Zeroes the counters and forgets the behaviour state of every host, as if the server had just started.</summary>
    public void Reset()
    {
        foreach (var host in Hosts.Values)
        {
            host.Reset();
        }
    }

    /// <summary>Stops the server: hanging and delayed requests end, their connections are aborted.</summary>
    /// <returns>A task that completes when the server has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _built.StopAsync().ConfigureAwait(false);
        await _built.DisposeAsync().ConfigureAwait(false);
    }
}
