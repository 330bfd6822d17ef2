using Reprise.Chaos.Hosting;
using Reprise.Chaos.Stats;

namespace Reprise.Chaos;

/// <summary>One running chaos host: its address and its statistics.</summary>
public sealed class ChaosHost
{
    private readonly HostEngine _engine;

    internal ChaosHost(HostEngine engine, int port)
    {
        _engine = engine;
        Port = port;
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
    }

    /// <summary>Gets the name of the host, as configured.</summary>
    public string Name => _engine.Name;

    /// <summary>Gets the port the host listens on (the one chosen by the system when 0 was configured).</summary>
    public int Port { get; }

    /// <summary>Gets the address of the host, for example <c>http://127.0.0.1:40123/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>Gets a new snapshot of the host's counters each time it is read.</summary>
    public ChaosStats Stats => _engine.Counters.Snapshot();

    /// <summary>Zeroes the host's counters; behaviour state (key calls, outage windows, rate limits) is kept.</summary>
    public void ResetStats() => _engine.ResetStats();

    /// <summary>Zeroes the host's counters and forgets its behaviour state, as if it had just started.</summary>
    public void Reset()
    {
        _engine.ResetState();
        _engine.ResetStats();
    }

    /// <summary>Gets the absolute address of <paramref name="relativePath"/> on this host.</summary>
    /// <param name="relativePath">A path such as <c>/flaky/1</c>.</param>
    /// <returns>The absolute address.</returns>
    public Uri GetUri(string relativePath)
    {
        ArgumentNullException.ThrowIfNull(relativePath);
        return new Uri(BaseAddress, relativePath);
    }
}
