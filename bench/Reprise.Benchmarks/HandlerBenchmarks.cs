using BenchmarkDotNet.Attributes;
using Reprise.Bench.Clients;
using Reprise.Hosts;

namespace Reprise.Benchmarks;

/// <summary>
/// One handler chain per <see cref="ClientKind"/> over an in-memory handler; the subclasses say what a request is.
/// Every chain sends through an <see cref="HttpMessageInvoker"/>, so <see cref="HttpClient"/>'s own cost is left out.
/// </summary>
[MemoryDiagnoser]
public abstract class HandlerBenchmarks
{
    protected static readonly Uri Target = new("http://bench.invalid/items/1");

    private HttpMessageInvoker? _invoker;
    private IDisposable? _owner;

    [Params(ClientKind.None, ClientKind.Reprise, ClientKind.RepriseNoTimeouts, ClientKind.RepriseNoHosts, ClientKind.PollyRetry, ClientKind.StandardResilience)]
    public ClientKind Client { get; set; }

    protected HttpMessageInvoker Invoker => _invoker!;

    /// <summary>Gets whether the in-memory handler completes asynchronously.</summary>
    protected virtual bool InnerYields => false;

    [GlobalSetup]
    public void Setup()
    {
        var inner = new InMemoryHandler(InnerYields);
        var settings = RetrySettings.NoWaits;
        HttpMessageHandler handler;
        switch (Client)
        {
            case ClientKind.None:
                handler = inner;
                break;
            case ClientKind.Reprise:
                handler = PeerHandlers.CreateReprise(inner, settings);
                break;
            case ClientKind.RepriseNoTimeouts:
                handler = PeerHandlers.CreateReprise(inner, settings with { AttemptTimeout = Timeout.InfiniteTimeSpan, Deadline = Timeout.InfiniteTimeSpan });
                break;
            case ClientKind.RepriseNoHosts:
                handler = PeerHandlers.CreateReprise(inner, settings, HostCoordinationOptions.Disabled);
                break;
            case ClientKind.PollyRetry:
                handler = PeerHandlers.CreatePolly(inner, settings);
                break;
            case ClientKind.StandardResilience:
                (handler, _owner) = PeerHandlers.CreateStandard(inner, settings);
                break;
            default:
                throw new InvalidOperationException($"Unknown client {Client}.");
        }

        _invoker = new HttpMessageInvoker(handler, disposeHandler: true);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _invoker?.Dispose();
        _owner?.Dispose();
    }

    protected async Task SendOneAsync(int failures)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Target);
        if (failures > 0)
        {
            request.Options.Set(InMemoryHandler.FailuresKey, new InMemoryHandler.FailureBudget(failures));
        }

        using var response = await Invoker.SendAsync(request, CancellationToken.None);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{Client} returned {(int)response.StatusCode}.");
        }
    }
}
