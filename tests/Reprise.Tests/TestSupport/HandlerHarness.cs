using Microsoft.Extensions.Time.Testing;
using Reprise.Hosts;

namespace Reprise.Tests.TestSupport;

/// <summary>A Reprise handler over a scripted inner handler, driven by a fake clock.</summary>
internal sealed class HandlerHarness : IDisposable
{
    public HandlerHarness(ScriptedHandler inner, Action<RepriseOptions>? configure = null, Func<TimeProvider, HostRegistry>? hosts = null)
    {
        Inner = inner;
        Options = new RepriseOptions { Randomizer = () => 0.5 };
        configure?.Invoke(Options);
        Handler = new RepriseHandler(inner, Options, hosts?.Invoke(Time), timeProvider: Time);
        Client = new HttpClient(Handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero));

    public ScriptedHandler Inner { get; }

    public RepriseOptions Options { get; }

    public RepriseHandler Handler { get; }

    public HttpClient Client { get; }

    /// <summary>
    /// Sends and advances the fake clock in steps until the call ends. The scripted inner handler answers
    /// synchronously, so after each step the handler is either done or waiting on the clock again.
    /// </summary>
    public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, TimeSpan? step = null, CancellationToken cancellationToken = default)
    {
        var call = Client.SendAsync(request, cancellationToken);
        for (var i = 0; i < 100_000 && !call.IsCompleted; i++)
        {
            Time.AdvanceInline(step ?? TimeSpan.FromMilliseconds(100));
        }

        return await call;
    }

    public Task<HttpResponseMessage> GetAsync(string url = "http://example.test/items", TimeSpan? step = null)
        => SendAsync(new HttpRequestMessage(HttpMethod.Get, url), step);

    public void Dispose() => Client.Dispose();
}
