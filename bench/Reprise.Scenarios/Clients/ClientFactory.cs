using Reprise.Bench.Clients;
using Reprise.Scenarios.Scenarios;

namespace Reprise.Scenarios.Clients;

/// <summary>Builds each client by name, all with the run's shared settings.</summary>
internal static class ClientFactory
{
    public static ScenarioClient Create(string name, RunProfile profile) => name switch
    {
        ClientNames.Bare => Parallel(new SocketsHttpHandler(), profile),
        ClientNames.RepriseBulk => new BulkEngineClient(profile),
        ClientNames.RepriseHandler => Parallel(PeerHandlers.CreateReprise(new SocketsHttpHandler(), profile.Retry), profile),
        ClientNames.Polly => Parallel(PeerHandlers.CreatePolly(new SocketsHttpHandler(), profile.Retry), profile),
        ClientNames.Standard => Standard(profile),
        ClientNames.Naive => new NaiveLoopClient(profile.ClientTimeout),
        _ => throw new ArgumentException($"Unknown client '{name}'. Known: {string.Join(", ", ClientNames.All)}.", nameof(name)),
    };

    private static ParallelHttpClient Parallel(HttpMessageHandler handler, RunProfile profile)
        => new(handler, profile.ClientTimeout, profile.Concurrency);

    private static ParallelHttpClient Standard(RunProfile profile)
    {
        var (handler, owner) = PeerHandlers.CreateStandard(new SocketsHttpHandler(), profile.Retry);
        return new ParallelHttpClient(handler, profile.ClientTimeout, profile.Concurrency, owner);
    }
}
