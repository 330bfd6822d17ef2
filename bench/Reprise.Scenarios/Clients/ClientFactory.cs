using Reprise.Bench.Clients;
using Reprise.Hosts;
using Reprise.Scenarios.Scenarios;

namespace Reprise.Scenarios.Clients;

/// <summary>Builds each client by name, all with the run's shared settings and the scenario's retry settings.</summary>
internal static class ClientFactory
{
    public static ScenarioClient Create(string name, RunProfile profile, ScenarioDefinition scenario)
    {
        var retry = scenario.RetryFor(profile);
        var timeout = scenario.ClientTimeoutFor(profile, name);
        return name switch
        {
            ClientNames.Bare => Parallel(new SocketsHttpHandler(), timeout, profile),
            ClientNames.RepriseBulk => new BulkEngineClient(retry, profile.Concurrency, HostsOn(profile)),
            ClientNames.RepriseBulkOff => new BulkEngineClient(retry, profile.Concurrency, HostsOff(profile)),
            ClientNames.RepriseHandler => Parallel(PeerHandlers.CreateReprise(new SocketsHttpHandler(), retry, HostsOn(profile)), timeout, profile),
            ClientNames.RepriseHandlerOff => Parallel(PeerHandlers.CreateReprise(new SocketsHttpHandler(), retry, HostsOff(profile)), timeout, profile),
            ClientNames.Polly => Parallel(PeerHandlers.CreatePolly(new SocketsHttpHandler(), retry), timeout, profile),
            ClientNames.Standard => Standard(retry, timeout, profile),
            ClientNames.Naive => new NaiveLoopClient(timeout),
            _ => throw new ArgumentException($"Unknown client '{name}'. Known: {string.Join(", ", ClientNames.All)}.", nameof(name)),
        };
    }

    /// <summary>Host coordination on, every part at its default, with a host concurrency of the run's concurrency (50).</summary>
    public static HostCoordinationOptions HostsOn(RunProfile profile) => new() { MaxConcurrency = profile.Concurrency };

    /// <summary>Host coordination off, but the same fixed host concurrency: the per-request reference.</summary>
    public static HostCoordinationOptions HostsOff(RunProfile profile)
    {
        var options = HostCoordinationOptions.Disabled;
        options.MaxConcurrency = profile.Concurrency;
        return options;
    }

    private static ParallelHttpClient Parallel(HttpMessageHandler handler, TimeSpan timeout, RunProfile profile)
        => new(handler, timeout, profile.Concurrency);

    private static ParallelHttpClient Standard(RetrySettings retry, TimeSpan timeout, RunProfile profile)
    {
        var (handler, owner) = PeerHandlers.CreateStandard(new SocketsHttpHandler(), retry);
        return new ParallelHttpClient(handler, timeout, profile.Concurrency, owner);
    }
}
