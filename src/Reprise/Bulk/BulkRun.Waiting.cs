using Reprise.Hosts;
using Reprise.Retry;

namespace Reprise.Bulk;

/// <summary>
/// Waiting for a host without a worker: a refused request fails fast, parks in the delay queue, or queues in the
/// host's line, whose leader is handed the host's next free slot (<see cref="HostLine"/>).
/// </summary>
internal sealed partial class BulkRun
{
    /// <summary>
    /// A request waiting for an open circuit ends once it has waited long enough (<see cref="HostState.CircuitWaitExhausted"/>,
    /// the handler's rule too); otherwise it asks again at the probe time or when its own attempts would have run out,
    /// whichever is sooner.
    /// </summary>
    private BulkResult? CircuitWaitEnds(BulkWorkItem item, HostState host, ref TimeSpan wait)
    {
        var attemptsLeft = _retry.MaxAttempts - item.Attempts;
        var circuitWait = item.CircuitWait;
        bool exhausted = host.CircuitWaitExhausted(ref circuitWait, attemptsLeft, _retry.AttemptTimeout, ref wait);
        item.CircuitWait = circuitWait;
        return exhausted
            ? Finish(
                item,
                BulkOutcome.Failed,
                RetryStopReason.CircuitOpen,
                $"The host {item.Uri.Authority} failed every probe of its open circuit while the request waited, as long as its {attemptsLeft} attempt(s) left would have taken.")
            : null;
    }

    private BulkResult? OnRefused(BulkWorkItem item, HostState host, HostPermit permit, TimeSpan elapsed)
    {
        var failFast = FailFastReason(permit);
        if (failFast != RetryStopReason.None)
        {
            return Finish(item, BulkOutcome.Failed, failFast, $"The host {item.Uri.Authority} refused the attempt: {permit.DenialReason.Describe()}.");
        }

        // A paused or busy host parks the request; no worker waits for it.
        var wait = permit.WaitHint > BulkDefaults.MinHostWait ? permit.WaitHint : BulkDefaults.MinHostWait;
        if (permit.DenialReason == HostDenialReason.CircuitOpen && CircuitWaitEnds(item, host, ref wait) is { } exhausted)
        {
            return exhausted;
        }

        if (PastDeadline(elapsed, wait))
        {
            return Finish(item, BulkOutcome.Failed, RetryStopReason.DeadlineExceeded, $"{DeadlineMessage(item)} {HostWaitMessages.Describe(item.Uri.Authority, wait, permit.DenialReason)}");
        }

        if (item.HostWaitStarted == 0)
        {
            item.HostWaitStarted = _time.GetTimestamp();
        }

        if (permit.DenialReason == HostDenialReason.CircuitOpen && item.LeadsLineOf is not null)
        {
            DissolveLine(item);
        }
        else if (permit.DenialReason == HostDenialReason.RetryBudgetExhausted && item.LeadsLineOf is not null)
        {
            // The budget holds back this retry, not the host: the next request in line asks at once, and this one asks
            // again on its own. (As the line's leader it held every fresh request behind it: on an overloaded host 150
            // requests waited with 0-5 in flight while the draws held back half the retries.)
            PassLine(item);
        }

        if (permit.DenialReason is HostDenialReason.ConcurrencyLimit or HostDenialReason.RateLimit)
        {
            // A host at its limit frees room one request at a time: one request (the line's leader) asks again and the
            // others queue behind it, instead of thousands each polling every millisecond. The leader of a host at its
            // concurrency limit is handed the host's next free slot at once; at the rate limit it asks at the host's hint.
            lock (_lines)
            {
                if (_linesClosed)
                {
                    return Cancelled(item);
                }

                HostLine? line;
                if (item.LeadsLineOf is null)
                {
                    if (_lines.TryGetValue(host.Key, out line))
                    {
                        CountWaiting(item, BulkWaitKind.Host);
                        ParkOn(item, host);
                        line.Enqueue(item);
                        return null;
                    }

                    line = new HostLine(_onLeaderWoken);
                    _lines.Add(host.Key, line);
                    Volatile.Write(ref _lineCount, _lines.Count);
                    item.LeadsLineOf = host.Key;
                }
                else
                {
                    line = _lines[item.LeadsLineOf];
                }

                if (permit.DenialReason == HostDenialReason.ConcurrencyLimit)
                {
                    CountWaiting(item, BulkWaitKind.Host);
                    ParkOn(item, host);
                    if (line.TryWaitForSlot(item, host))
                    {
                        return null;
                    }

                    // A slot freed meanwhile, and the leader was not woken for it: it asks again after the shortest wait.
                    LeaveWaiting(item);
                    Unpark(item);
                }
            }
        }

        ParkOn(item, host);
        if (Park(item, wait, BulkWaitKind.Host))
        {
            return null;
        }

        Unpark(item);
        return Cancelled(item);
    }

    /// <summary>
    /// An open circuit dissolves its host's line: each request behind the leader asks once more, is refused for the
    /// circuit itself and waits on its own, so it ends when its own attempts would have (<see cref="CircuitWaitEnds"/>)
    /// rather than at its deadline behind a leader that the circuit keeps refusing.
    /// </summary>
    private void DissolveLine(BulkWorkItem leader)
    {
        List<BulkWorkItem> members = [];
        lock (_lines)
        {
            if (leader.LeadsLineOf is { } key && _lines.Remove(key, out var line))
            {
                line.DrainTo(members);
                Volatile.Write(ref _lineCount, _lines.Count);
            }

            leader.LeadsLineOf = null;
        }

        foreach (var member in members)
        {
            OnDue(member);
        }
    }

    /// <summary>Counts a request parked for its host as the host's, so that the registry does not drop a busy host.</summary>
    private static void ParkOn(BulkWorkItem item, HostState host)
    {
        host.EnterParked();
        item.ParkedOn = host;
    }

    private static void Unpark(BulkWorkItem item)
    {
        item.ParkedOn?.ExitParked();
        item.ParkedOn = null;
    }

    /// <summary>Queues the request at the end of its host's line when the host has one.</summary>
    private bool JoinLine(BulkWorkItem item, HostState host)
    {
        if (Volatile.Read(ref _lineCount) == 0)
        {
            return false;
        }

        lock (_lines)
        {
            if (_linesClosed || !_lines.TryGetValue(host.Key, out var line))
            {
                return false;
            }

            if (item.HostWaitStarted == 0)
            {
                item.HostWaitStarted = _time.GetTimestamp();
            }

            CountWaiting(item, BulkWaitKind.Host);
            ParkOn(item, host);
            line.Enqueue(item);
            return true;
        }
    }

    /// <summary>Hands the lead of a host's line to the next request in it, which asks at once; the last closes the line.</summary>
    private void PassLine(BulkWorkItem leader)
    {
        BulkWorkItem? next = null;
        lock (_lines)
        {
            if (_lines.TryGetValue(leader.LeadsLineOf!, out var line))
            {
                if (line.TryDequeue(out next))
                {
                    next.LeadsLineOf = leader.LeadsLineOf;
                }
                else
                {
                    _lines.Remove(leader.LeadsLineOf!);
                    Volatile.Write(ref _lineCount, _lines.Count);
                }
            }

            leader.LeadsLineOf = null;
        }

        if (next is not null)
        {
            OnDue(next);
        }
    }

    /// <summary>
    /// Whether a refusal ends the request: only an open circuit or an exhausted retry budget, and only when the host
    /// options say fail fast (as <see cref="HostState.AcquireAsync(bool, CancellationToken)"/> decides for the handler). A pause, a limit, or a
    /// circuit or budget the options say to wait for, parks the request instead.
    /// </summary>
    private RetryStopReason FailFastReason(HostPermit permit)
    {
        var options = _engine.Hosts.Options;
        return permit.DenialReason switch
        {
            HostDenialReason.CircuitOpen when options.FailFastWhenCircuitOpen => RetryStopReason.CircuitOpen,
            HostDenialReason.RetryBudgetExhausted when options.FailFastWhenRetryThrottled => RetryStopReason.RetryBudgetExhausted,
            _ => RetryStopReason.None,
        };
    }

    private bool Park(BulkWorkItem item, TimeSpan delay, BulkWaitKind kind)
    {
        CountWaiting(item, kind);
        if (_waiting.TryEnqueue(item, delay))
        {
            Interlocked.Increment(ref _counters.Parked);
            return true;
        }

        // The run was cancelled and the queue closed: the worker ends the request itself.
        LeaveWaiting(item);
        return false;
    }

    private void CountWaiting(BulkWorkItem item, BulkWaitKind kind)
    {
        item.Waiting = kind;
        if (kind == BulkWaitKind.Retry)
        {
            Interlocked.Increment(ref _counters.WaitingForRetry);
        }
        else
        {
            Interlocked.Increment(ref _counters.WaitingForHost);
        }
    }

    private void OnDue(BulkWorkItem item)
    {
        LeaveWaiting(item);
        Interlocked.Increment(ref _readyCount);
        _ready.Writer.TryWrite(item);
    }

    private void LeaveWaiting(BulkWorkItem item)
    {
        if (item.Waiting == BulkWaitKind.Retry)
        {
            Interlocked.Decrement(ref _counters.WaitingForRetry);
        }
        else
        {
            Interlocked.Decrement(ref _counters.WaitingForHost);
        }

        item.Waiting = BulkWaitKind.None;
    }

    private void OnCancelled()
    {
        // Waiting requests go back to the workers, which end each one as cancelled.
        foreach (var item in _waiting.Close())
        {
            OnDue(item);
        }

        List<BulkWorkItem> queued = [];
        lock (_lines)
        {
            _linesClosed = true;
            foreach (var line in _lines.Values)
            {
                if (line.CancelWait() is { } leader)
                {
                    queued.Add(leader);
                }

                line.DrainTo(queued);
            }

            _lines.Clear();
            Volatile.Write(ref _lineCount, 0);
        }

        foreach (var item in queued)
        {
            OnDue(item);
        }
    }
}
