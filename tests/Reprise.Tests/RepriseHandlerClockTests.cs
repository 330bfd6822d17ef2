using System.Net;
using Microsoft.Extensions.Time.Testing;
using Reprise.Hosts;
using Reprise.Retry;
using Reprise.Tests.TestSupport;

namespace Reprise.Tests;

/// <summary>The handler reads its registry's clock: one time for its requests and their hosts.</summary>
public class RepriseHandlerClockTests
{
    private static readonly Uri Target = new("http://example.test/");

    [Fact]
    public void Constructor_TimeProviderOtherThanTheRegistrys_ThrowsNamingIt()
    {
        var registry = new HostRegistry(new FakeTimeProvider());

        var error = Assert.Throws<ArgumentException>("timeProvider", () => new RepriseHandler(new RepriseOptions(), registry, new FakeTimeProvider()));
        Assert.Contains("HostRegistry.TimeProvider", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>("timeProvider", () => new RepriseHandler(ScriptedHandler.Always(HttpStatusCode.OK), new RepriseOptions(), registry, TimeProvider.System));
    }

    [Fact]
    public void Constructor_RegistrysOwnTimeProvider_IsAccepted()
    {
        var time = new FakeTimeProvider();
        var registry = new HostRegistry(time);

        using var handler = new RepriseHandler(new RepriseOptions(), registry, time);

        Assert.Same(registry, handler.Hosts);
    }

    [Fact]
    public async Task SendAsync_RegistryWithoutTimeProvider_WaitsOnTheRegistrysClock()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero));
        var options = new RepriseOptions { BaseDelay = TimeSpan.FromSeconds(1), MaxDelay = TimeSpan.FromSeconds(2), Randomizer = () => 0.5 };
        using var handler = new RepriseHandler(ScriptedHandler.Statuses(HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK), options, new HostRegistry(time));
        using var invoker = new HttpMessageInvoker(handler);

        var call = invoker.SendAsync(new HttpRequestMessage(HttpMethod.Get, Target), CancellationToken.None);
        Assert.False(call.IsCompleted);

        time.AdvanceInline(TimeSpan.FromSeconds(2));
        using var response = await call.WaitAsync(TimeSpan.FromMinutes(1));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, response.GetRetryHistory()!.Count);
    }
}
