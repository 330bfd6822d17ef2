using System.Net;
using System.Net.Http.Headers;
using Reprise.Bulk;
using Reprise.Retry;
using Reprise.Tests.TestSupport;
using static Reprise.Tests.Bulk.BulkTestSupport;

namespace Reprise.Tests.Bulk;

public class BulkEngineSchedulingTests
{
    [Fact]
    public async Task RunAsync_RequestWaitingForItsRetry_DoesNotHoldTheOnlySlot()
    {
        // One worker. The first request is told to come back in 10 s; the clock does not move until the other three
        // are done, so they can only complete if the waiting request left the worker free.
        var time = NewClock();
        var handler = new BulkTestHandler(time, (url, attempt, _, _) =>
        {
            var response = new HttpResponseMessage(url.EndsWith("/slow", StringComparison.Ordinal) && attempt == 1 ? HttpStatusCode.ServiceUnavailable : HttpStatusCode.OK);
            if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
            {
                response.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(10));
            }

            return Task.FromResult(response);
        });
        using var engine = Engine(handler, time, o => o.MaxConcurrency = 1);
        var start = time.GetUtcNow();

        await using var results = engine.RunAsync(Urls("http://a.test/slow", "http://a.test/1", "http://a.test/2", "http://a.test/3")).GetAsyncEnumerator();
        var first = new[] { await results.NextAsync(), await results.NextAsync(), await results.NextAsync() };

        Assert.Equal(["http://a.test/1", "http://a.test/2", "http://a.test/3"], first.Select(r => r.Url));
        Assert.All(first, r => Assert.Equal(BulkOutcome.Succeeded, r.Outcome));
        Assert.Equal(start, time.GetUtcNow());
        Assert.Equal(1, engine.GetProgress().WaitingForRetry);
        Assert.Equal(1, handler.AttemptsOf("http://a.test/slow"));

        var last = results.MoveNextAsync();
        time.AdvanceInline(TimeSpan.FromSeconds(10));
        Assert.True(await last.AsTask().WaitAsync(HangGuard));

        var slow = results.Current;
        Assert.Equal(BulkOutcome.Succeeded, slow.Outcome);
        Assert.Equal(2, slow.Attempts);
        Assert.Equal(TimeSpan.FromSeconds(10), slow.History.Attempts[0].Delay);
        Assert.Equal(RetryWaitSource.RetryAfter, slow.History.Attempts[0].DelaySource);
        Assert.Equal(start + TimeSpan.FromSeconds(10), handler.Log.Single(s => s.Url.EndsWith("/slow", StringComparison.Ordinal) && s.Attempt == 2).At);
        Assert.False(await results.MoveNextAsync());
    }

    [Fact]
    public async Task RunAsync_CallerNotTakingResults_WorkersFinishWhatWasReadAndTheInputWaits()
    {
        // One worker, room for ten requests, a caller holding its first result: the worker never waits for the caller,
        // so every request read is sent, and the input waits for the caller, so no eleventh is read.
        var time = NewClock();
        var handler = BulkTestHandler.Scripted(time);
        using var engine = Engine(handler, time, o => (o.MaxConcurrency, o.MaxPendingRequests) = (1, 10));

        await using var results = engine.RunAsync(Urls([.. Enumerable.Range(0, 20).Select(i => $"http://a.test/{i}")])).GetAsyncEnumerator();
        var taken = new List<BulkResult> { await results.NextAsync() };
        await WaitUntilAsync(() => engine.GetProgress().Done == 10);

        Assert.Equal(10, handler.Log.Count);
        Assert.Equal(10, engine.GetProgress().Read);
        while (await results.MoveNextAsync())
        {
            taken.Add(results.Current);
        }

        Assert.Equal(20, taken.Select(r => r.Url).Distinct().Count());
        Assert.All(taken, r => Assert.Equal(BulkOutcome.Succeeded, r.Outcome));
    }

    [Fact]
    public async Task RunAsync_WorkersBusy_ReadsOnlyAFewRequestsAheadOfThem()
    {
        // One worker, its attempt hanging, room for a thousand requests: the input is read until the ready queue holds
        // the read-ahead (the worker may or may not have taken the first request by then), not a thousand ahead.
        var time = NewClock();
        var handler = new BulkTestHandler(time, static (_, _, _, token) => BulkTestHandler.Hang(token));
        using var engine = Engine(handler, time, o => (o.MaxConcurrency, o.MaxPendingRequests) = (1, 1_000));
        var read = 0;
        async IAsyncEnumerable<BulkRequest> Input()
        {
            for (var i = 0; i < 1_000; i++)
            {
                await Task.CompletedTask;
                Interlocked.Increment(ref read);
                yield return new BulkRequest($"http://a.test/{i}");
            }
        }

        using var cancellation = new CancellationTokenSource();
        var run = engine.RunAsync(Input(), cancellation.Token).CollectAsync();
        await WaitUntilAsync(() => engine.GetProgress().InFlight == 1 && Volatile.Read(ref read) >= BulkDefaults.MinReadAhead);
        await cancellation.CancelAsync();
        var results = await run;

        Assert.InRange(read, BulkDefaults.MinReadAhead, BulkDefaults.MinReadAhead + 1);
        Assert.Equal(read, results.Count);
        Assert.All(results, r => Assert.Equal(BulkOutcome.Cancelled, r.Outcome));
    }

    [Fact]
    public async Task RunAsync_InputThrows_YieldsTheResultsReadThenThrows()
    {
        var time = NewClock();
        using var engine = Engine(BulkTestHandler.Scripted(time), time);
        async IAsyncEnumerable<BulkRequest> Input()
        {
            yield return new BulkRequest("http://a.test/1");
            yield return new BulkRequest("http://a.test/2");
            await Task.CompletedTask;
            throw new InvalidDataException("line 3 is broken");
        }

        var results = new List<BulkResult>();
        var error = await Assert.ThrowsAsync<InvalidDataException>(async () =>
        {
            await foreach (var result in engine.RunAsync(Input()))
            {
                results.Add(result);
            }
        });

        Assert.Equal("line 3 is broken", error.Message);
        Assert.Equal(2, results.Count);
        Assert.All(results, r => Assert.Equal(BulkOutcome.Succeeded, r.Outcome));
    }

    [Fact]
    public async Task RunAsync_HundredThousandRequests_EachGetsOneResultAndPendingStaysBounded()
    {
        const int Count = 100_000;
        const int MaxPending = 256;
        var time = NewClock();

        // Every tenth URL fails once and is retried: retries pass through the delay queue and back.
        var handler = new BulkTestHandler(time, static (url, attempt, _, _) =>
            Task.FromResult(new HttpResponseMessage(attempt == 1 && url.EndsWith('0') ? HttpStatusCode.ServiceUnavailable : HttpStatusCode.OK)))
        {
            Logging = false,
        };
        // Host coordination on, as by default: seven hosts, each request through its host's permit.
        using var engine = new BulkEngine(handler, Options(o => (o.MaxConcurrency, o.MaxPendingRequests) = (16, MaxPending)), timeProvider: time);
        long read = 0;
        long taken = 0;
        long peak = 0;
        async IAsyncEnumerable<BulkRequest> Input()
        {
            for (var i = 0; i < Count; i++)
            {
                var inProgress = Interlocked.Increment(ref read) - Interlocked.Read(ref taken);
                if (inProgress > peak)
                {
                    peak = inProgress;
                }

                await Task.CompletedTask;
                yield return new BulkRequest($"http://h{i % 7}.test/{i}") { Id = i.ToString(System.Globalization.CultureInfo.InvariantCulture) };
            }
        }

        var seen = new bool[Count];
        var duplicates = 0;
        var succeeded = 0;
        await foreach (var result in engine.RunAsync(Input()))
        {
            Interlocked.Increment(ref taken);
            var id = int.Parse(result.Id!, System.Globalization.CultureInfo.InvariantCulture);
            duplicates += seen[id] ? 1 : 0;
            seen[id] = true;
            succeeded += result.IsSuccess ? 1 : 0;
        }

        Assert.Equal(0, duplicates);
        Assert.All(seen, Assert.True);
        Assert.Equal(Count, succeeded);
        Assert.InRange(peak, 1, MaxPending);
        Assert.Equal(Count / 10, engine.GetProgress().RetriesSent);
    }
}
