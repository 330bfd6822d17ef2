using Reprise.Hosts;
using Reprise.Hosts.Evidence;

namespace Reprise.Tests.Hosts.Evidence;

// The bulk-like scheduler: retries due first, then fresh URLs, up to a concurrency limit; it sends each attempt to
// the server and acts on its answer (done, or a retry after Retry-After or the backoff).
internal sealed partial class EvidenceSimulation
{
    private readonly Queue<Item> _readyRetries = new();
    private int _nextFresh;

    private void Dispatch()
    {
        while (true)
        {
            var item = Peek();
            if (item is null)
            {
                return;
            }

            bool probe = false;
            if (Coordinated)
            {
                if (!MayGrant(item, out probe, out var askAgainAt))
                {
                    ScheduleDispatch(askAgainAt);
                    return;
                }
            }
            else if (_inFlight >= MaxConcurrency)
            {
                return;
            }

            Take(item);
            Send(item, probe);
        }
    }

    private Item? Peek()
    {
        while (true)
        {
            Item? item = _readyRetries.Count > 0 ? _readyRetries.Peek() : _nextFresh < Urls ? new Item(_nextFresh) : null;
            if (item is null)
            {
                return null;
            }

            if (item.FirstTaken is null)
            {
                item.FirstTaken = Now;
                if (_readyRetries.Count == 0)
                {
                    // A fresh URL is taken from the input once, as the bulk engine's worker does.
                    _nextFresh++;
                    _readyRetries.Enqueue(item);
                }
            }

            if (Deadline != Timeout.InfiniteTimeSpan && Now - item.FirstTaken >= Deadline)
            {
                _readyRetries.Dequeue();
                Finish(item, success: false);
                continue;
            }

            return item;
        }
    }

    private void Take(Item item) => _readyRetries.Dequeue();

    private void Send(Item item, bool probe)
    {
        item.Attempts++;
        Requests++;
        var grantedAt = Now;
        long sequence = ++_grantSequence;
        if (!probe)
        {
            _inFlight++;
        }

        var answer = _server.Answer(item.Url, item.Attempts, Now);
        var timeout = probe ? _evidence!.ProbeTimeout(AttemptTimeout) : AttemptTimeout;
        if (Deadline != Timeout.InfiniteTimeSpan && item.FirstTaken + Deadline - Now < timeout)
        {
            timeout = item.FirstTaken!.Value + Deadline - Now;
        }

        var signal = answer.Hangs || answer.Latency >= timeout ? HostSignal.TimedOut : answer.Signal;
        var latency = signal == HostSignal.TimedOut ? timeout : answer.Latency;
        Schedule(Now + latency, () => Complete(item, probe, sequence, grantedAt, signal, answer.RetryAfter));
    }

    private void Complete(Item item, bool probe, long sequence, TimeSpan grantedAt, HostSignal signal, TimeSpan? retryAfter)
    {
        if (!probe)
        {
            _inFlight--;
        }

        if (signal == HostSignal.Throttled)
        {
            Throttles++;
        }

        if (Coordinated)
        {
            Report(
                item,
                new AttemptReport(item.Url + 1, signal, retryAfter, grantedAt, Now, probe)
                {
                    Attempt = item.Attempts,
                    Previous = item.Previous,
                    AfterOwnWait = item.AfterOwnWait,
                    FirstFailedAt = item.FirstFailedAt,
                },
                sequence);
        }

        item.Previous = signal;
        if (signal is HostSignal.Failed or HostSignal.TimedOut)
        {
            item.FirstFailedAt ??= Now;
        }

        item.WaitedRetryAfter = retryAfter is not null;
        if (signal == HostSignal.Accepted)
        {
            Finish(item, success: true);
        }
        else if (item.Attempts >= MaxAttempts || item.Exhausted)
        {
            Finish(item, success: false);
        }
        else
        {
            var delay = retryAfter ?? Backoff(item.Attempts);
            if (Deadline != Timeout.InfiniteTimeSpan && Now + delay - item.FirstTaken >= Deadline)
            {
                Finish(item, success: false);
            }
            else
            {
                Schedule(Now + delay, () =>
                {
                    // A request waits for the circuit from the first time it does, its own probes included.
                    item.FailedProbesAtWait ??= _failedProbes;
                    item.WaitingSince ??= Now;
                    _readyRetries.Enqueue(item);
                    ScheduleDispatch(Now);
                });
            }
        }

        ScheduleDispatch(Now);
    }

    private sealed class Item(int url)
    {
        public int Url { get; } = url;

        public int Attempts { get; set; }

        public TimeSpan? FirstTaken { get; set; }

        public int? FailedProbesAtWait { get; set; }

        public TimeSpan? WaitingSince { get; set; }

        public HostSignal? Previous { get; set; }

        public bool WaitedRetryAfter { get; set; }

        public bool Exhausted { get; set; }

        public TimeSpan? FirstFailedAt { get; set; }

        public bool AfterOwnWait => Previous == HostSignal.Throttled && WaitedRetryAfter;
    }
}
