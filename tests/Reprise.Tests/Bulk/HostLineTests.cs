using Reprise.Bulk;

namespace Reprise.Tests.Bulk;

public sealed class HostLineTests
{
    [Fact]
    public void TryDequeue_RetryQueuedBehindFreshRequests_ComesFirst()
    {
        // A retry's deadline is running; a request never sent has not started its clock.
        var line = new HostLine();
        line.Enqueue(Item("fresh-1"));
        line.Enqueue(Item("fresh-2"));
        line.Enqueue(Item("retry-1", firstSent: 1));
        line.Enqueue(Item("fresh-3"));
        line.Enqueue(Item("retry-2", firstSent: 2));

        var order = new List<string>();
        while (line.TryDequeue(out var item))
        {
            order.Add(item.Request.Url);
        }

        Assert.Equal(["retry-1", "retry-2", "fresh-1", "fresh-2", "fresh-3"], order);
    }

    [Fact]
    public void DrainTo_TakesEveryWaitingRequestAndEmptiesTheLine()
    {
        var line = new HostLine();
        line.Enqueue(Item("fresh"));
        line.Enqueue(Item("retry", firstSent: 1));
        var drained = new List<BulkWorkItem>();

        line.DrainTo(drained);

        Assert.Equal(["retry", "fresh"], drained.Select(i => i.Request.Url));
        Assert.False(line.TryDequeue(out _));
    }

    private static BulkWorkItem Item(string url, long firstSent = 0)
        => new(new BulkRequest(url), new Uri("http://a.test/"), hasIdempotencyKey: false, started: 1) { FirstSent = firstSent };
}
