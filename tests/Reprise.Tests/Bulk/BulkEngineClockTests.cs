using System.Net;
using Microsoft.Extensions.Time.Testing;
using Reprise.Bulk;
using Reprise.Hosts;
using static Reprise.Tests.Bulk.BulkTestSupport;

namespace Reprise.Tests.Bulk;

/// <summary>The engine reads its registry's clock: one time for its runs, its delay queue and its hosts.</summary>
public class BulkEngineClockTests
{
    [Fact]
    public void Constructor_TimeProviderOtherThanTheRegistrys_ThrowsNamingIt()
    {
        var registry = new HostRegistry(NewClock());
        using var handler = BulkTestHandler.Scripted(TimeProvider.System);

        var error = Assert.Throws<ArgumentException>("timeProvider", () => new BulkEngine(handler, Options(), registry, new FakeTimeProvider()));
        Assert.Contains("HostRegistry.TimeProvider", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>("timeProvider", () => new BulkEngine(Options(), registry, TimeProvider.System));
    }

    [Fact]
    public async Task RunAsync_RegistryWithoutTimeProvider_ParksRetriesOnTheRegistrysClock()
    {
        var time = NewClock();
        var handler = BulkTestHandler.Scripted(time, ("http://a.test/x", [HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK]));
        var options = Options(o => (o.Retry.BaseDelay, o.Retry.MaxDelay) = (TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)));
        using var engine = new BulkEngine(handler, options, new HostRegistry(HostCoordinationOptions.Disabled, time));
        await using var results = engine.RunAsync(Urls("http://a.test/x")).GetAsyncEnumerator();

        var next = results.NextAsync();
        await WaitUntilAsync(() => engine.GetProgress().WaitingForRetry == 1);
        Assert.False(next.IsCompleted);

        time.Advance(TimeSpan.FromSeconds(2));
        var result = await next;

        Assert.Equal(BulkOutcome.Succeeded, result.Outcome);
        Assert.Equal(2, result.Attempts);
    }
}
