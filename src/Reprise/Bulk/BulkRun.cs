using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using Reprise.Attempts;
using Reprise.Hosts;
using Reprise.Hosts.Evidence;
using Reprise.Retry;
using Reprise.Telemetry;
using Reprise.Timing;

namespace Reprise.Bulk;

/// <summary>
/// One enumeration of <see cref="BulkEngine.RunAsync"/>: the input pump, the ready queue, the delay queue, the
/// workers and the results channel.
/// </summary>
/// <remarks>
/// A request moves: input -> (slot of MaxPendingRequests) -> ready queue -> a worker asks its host -> refused: delay
/// queue until the host is worth asking again; granted: send, classify -> retry: delay queue until due; final: results
/// channel -> the caller takes it -> slot freed. Workers never wait on a timer, so a waiting request holds no worker.
/// </remarks>
internal sealed partial class BulkRun : IDisposable
{
    // Each request's key for its host's evidence: unique per process, so runs sharing a registry never collide.
    private static long s_requestKeys;

    private readonly BulkEngine _engine;
    private readonly BulkCounters _counters;
    private readonly TimeProvider _time;
    private readonly RegistryClock _clock;
    private readonly RetryPolicy _policy;
    private readonly AttemptExecutor _executor;
    private readonly RepriseOptions _retry;
    private readonly RepriseTelemetry _telemetry;
    private readonly CancellationTokenSource _cancellation;
    private readonly CancellationToken _token;
    private readonly SemaphoreSlim _slots;
    private readonly SemaphoreSlim _readAheadRoom = new(0, 1);
    private readonly int _readAheadHigh;
    private readonly int _readAheadLow;
    private readonly Channel<BulkWorkItem> _ready;
    private readonly Channel<BulkResult> _results;
    private readonly DelayQueue<BulkWorkItem> _waiting;
    private readonly Action<BulkWorkItem> _onLeaderWoken;
    private CancellationTokenRegistration _onCancelled;
    private ExceptionDispatchInfo? _inputError;
    private Task[] _tasks = [];
    private IReadOnlyList<KeyValuePair<string, string>>? _lastValidHeaders;

    // Requests refused for a host's concurrency or rate limit, by host: one leads and asks again, the rest wait here.
    private readonly Dictionary<string, HostLine> _lines = [];
    private bool _linesClosed;

    // How many lines exist, written under the lock: a step skips the lock while no host has a line.
    private int _lineCount;

    // The pump holds one reference until the input ends; each request read holds one until its result is written.
    private int _active = 1;

    // Requests in the ready queue, and whether the pump waits for it to run low (see WaitForReadAheadRoomAsync).
    private int _readyCount;
    private int _pumpWaiting;

    public BulkRun(BulkEngine engine, CancellationToken cancellationToken)
    {
        _engine = engine;
        _counters = engine.Counters;
        _time = engine.TimeProvider;
        _clock = engine.Hosts.Clock;
        _policy = engine.Policy;
        _retry = engine.Policy.Options;
        _telemetry = engine.Telemetry;
        _executor = new AttemptExecutor(_policy, _telemetry);
        _cancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _token = _cancellation.Token;
        _slots = new SemaphoreSlim(engine.MaxPendingRequests, engine.MaxPendingRequests);
        _readAheadHigh = Math.Max(BulkDefaults.MinReadAhead, BulkDefaults.ReadAheadPerWorker * engine.MaxConcurrency);
        _readAheadLow = _readAheadHigh / 2;
        _ready = Channel.CreateUnbounded<BulkWorkItem>(new UnboundedChannelOptions { SingleReader = false, SingleWriter = false });
        _results = Channel.CreateUnbounded<BulkResult>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = false });
        _waiting = new DelayQueue<BulkWorkItem>(_clock, static (item, state) => ((BulkRun)state!).OnDue(item), this);
        _onLeaderWoken = OnDue;
    }

    public ChannelReader<BulkResult> Results => _results.Reader;

    /// <summary>Gets a task that completes when the pump and every worker have ended.</summary>
    public Task Completion { get; private set; } = Task.CompletedTask;

    public void Start(IAsyncEnumerable<BulkRequest> requests)
    {
        // One task for the pump and one per worker for the whole run; no task per request.
        var tasks = new Task[_engine.MaxConcurrency + 1];
        tasks[0] = Task.Run(() => PumpAsync(requests), CancellationToken.None);
        for (var i = 1; i < tasks.Length; i++)
        {
            tasks[i] = Task.Run(WorkAsync, CancellationToken.None);
        }

        _tasks = tasks;
        Completion = Task.WhenAll(tasks);
        _onCancelled = _token.UnsafeRegister(static state => ((BulkRun)state!).OnCancelled(), this);
    }

    /// <summary>Frees the pending-request slot of a result the caller took, so the pump may read one more request.</summary>
    /// <remarks>Not a host's slot: <see cref="Hosts.HostState.ReleaseSlot"/> frees one of a host's concurrency slots.</remarks>
    public void ReleasePendingSlot() => _slots.Release();

    public void ThrowIfInputFailed() => _inputError?.Throw();

    /// <summary>Ends the run: cancels what is left, takes the results nobody will read, and waits for every task.</summary>
    public async ValueTask StopAsync()
    {
        if (!Completion.IsCompleted)
        {
            await _cancellation.CancelAsync().ConfigureAwait(false);
            var reader = _results.Reader;
            while (await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                while (reader.TryRead(out _))
                {
                    _slots.Release();
                }
            }
        }

        try
        {
            await Completion.ConfigureAwait(false);
        }
        catch (Exception ex) when (_inputError is null)
        {
            // Work never throws past its request; this is a defect, kept visible in debug builds.
            Debug.Fail($"A bulk worker failed: {ex}");
        }
    }

    public void Dispose()
    {
        _onCancelled.Dispose();
        _waiting.Dispose();
        _cancellation.Dispose();
        _slots.Dispose();
        _readAheadRoom.Dispose();
    }

    private async Task PumpAsync(IAsyncEnumerable<BulkRequest> requests)
    {
        try
        {
            var input = requests.GetAsyncEnumerator(_token);
            await using (input.ConfigureAwait(false))
            {
                while (true)
                {
                    await WaitForReadAheadRoomAsync().ConfigureAwait(false);
                    await _slots.WaitAsync(_token).ConfigureAwait(false);
                    bool read;
                    try
                    {
                        read = await input.MoveNextAsync().ConfigureAwait(false);
                    }
                    catch
                    {
                        _slots.Release();
                        throw;
                    }

                    if (!read)
                    {
                        _slots.Release();
                        break;
                    }

                    Interlocked.Increment(ref _active);
                    Interlocked.Increment(ref _counters.Read);
                    Accept(input.Current);
                }
            }
        }
        catch (OperationCanceledException) when (_token.IsCancellationRequested)
        {
            // Cancelled: read no more. Every request already read still yields its result.
        }
        catch (Exception ex)
        {
            _inputError = ExceptionDispatchInfo.Capture(ex);
        }
        finally
        {
            ExitOne();
        }
    }

    private void Accept(BulkRequest? request)
    {
        var started = _time.GetTimestamp();
        if (request is null)
        {
            Write(null, Invalid(new BulkRequest(string.Empty), started, "The input has no request (null)."));
            return;
        }

        var error = Validate(request, out var uri);
        if (error is not null)
        {
            Write(null, Invalid(request, started, error));
            return;
        }

        var item = new BulkWorkItem(request, uri!, HasIdempotencyKey(request), started);
        Interlocked.Increment(ref _readyCount);
        _ready.Writer.TryWrite(item);
    }

    /// <summary>
    /// Lets the pump read only while the ready queue is short. Requests read far ahead of the workers wait long enough
    /// for the garbage collector to promote them all, and ten thousand of them cost collections of the old generation;
    /// a few per worker keep every worker busy. Slots of MaxPendingRequests still bound what the run holds, and a
    /// request waiting in the delay queue or a host's line is not in the ready queue, so it never holds back the input.
    /// </summary>
    private ValueTask WaitForReadAheadRoomAsync()
        => Volatile.Read(ref _readyCount) < _readAheadHigh ? default : WaitForReadAheadLowAsync();

    private async ValueTask WaitForReadAheadLowAsync()
    {
        // Dekker-style with TakeFromReady: each side writes (full fence), then reads the other's variable, so a worker
        // that takes the queue below the low mark either sees the pump waiting and wakes it, or the pump sees it low.
        Interlocked.Exchange(ref _pumpWaiting, 1);
        if (Volatile.Read(ref _readyCount) >= _readAheadLow || Interlocked.Exchange(ref _pumpWaiting, 0) == 0)
        {
            // Waiting, or a worker already took the flag and releases the pump.
            await _readAheadRoom.WaitAsync(_token).ConfigureAwait(false);
        }
    }

    private void TakeFromReady()
    {
        if (Interlocked.Decrement(ref _readyCount) < _readAheadLow
            && Volatile.Read(ref _pumpWaiting) != 0
            && Interlocked.Exchange(ref _pumpWaiting, 0) != 0)
        {
            _readAheadRoom.Release();
        }
    }

    private async Task WorkAsync()
    {
        // One path per worker (its timeout re-armed for each attempt and each body read): the worker runs one attempt at a time.
        using var path = new WorkerPath(this);
        var reader = _ready.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (reader.TryRead(out var item))
            {
                TakeFromReady();
                BulkResult? result;
                try
                {
                    result = await StepAsync(item, path).ConfigureAwait(false);
                }
                catch (Exception ex)
                {
                    // A defect must not cost the run: the request ends with the error, the others go on.
                    result = Finish(item, BulkOutcome.Failed, RetryStopReason.NonRetryableError, $"Unexpected error in the bulk engine: {ex.Message}");
                }

                if (result is not null)
                {
                    Write(item, result);
                }
            }
        }
    }

    /// <summary>Takes one step of a request: ask the host, then send an attempt. Null when the request now waits.</summary>
    /// <remarks>Not async itself: only the attempt awaits, so a step costs one state machine, the attempt's.</remarks>
    private ValueTask<BulkResult?> StepAsync(BulkWorkItem item, WorkerPath path)
    {
        if (item.ParkedOn is { } parkedOn)
        {
            parkedOn.ExitParked();
            item.ParkedOn = null;
        }

        if (_token.IsCancellationRequested)
        {
            return new(Cancelled(item));
        }

        if (item.FirstTaken == 0)
        {
            // The deadline counts from the first time a worker takes the request, whatever the host then answers.
            item.FirstTaken = _time.GetTimestamp();
            item.UrlHistory = UrlHistory.First(Interlocked.Increment(ref s_requestKeys));
        }

        var elapsed = DeadlineElapsed(item);
        if (PastDeadline(elapsed, TimeSpan.Zero))
        {
            return new(Finish(item, BulkOutcome.Failed, RetryStopReason.DeadlineExceeded, DeadlineMessage(item)));
        }

        // The state is looked up at each step, not kept: the registry may have dropped an idle host meanwhile.
        var host = _engine.Hosts.GetState(item.Uri);
        if (item.LeadsLineOf is null && JoinLine(item, host))
        {
            // The host is at its limit with requests already waiting: this one waits behind them. Asking first would
            // take the room they wait for, and a busy host's retries would starve behind an endless input.
            return new((BulkResult?)null);
        }

        var permit = host.TryAcquire(isRetry: item.Attempts > 0, retryAlreadyCounted: item.RetryCounted, item.UrlHistory, item.CircuitWait.LastTryDue);
        if (!permit.IsAcquired)
        {
            Interlocked.Increment(ref _counters.HostRefusals);

            // A retry held back by the throttle is counted once as a request, however often it asks again.
            item.RetryCounted |= permit.DenialReason == HostDenialReason.RetryBudgetExhausted;
            return new(OnRefused(item, host, permit, elapsed));
        }

        item.RetryCounted = false;
        item.CircuitWait = item.CircuitWait.AfterGrant(permit.IsProbe);
        if (item.FirstSent == 0)
        {
            item.FirstSent = _time.GetTimestamp();
        }

        if (item.LeadsLineOf is not null)
        {
            // The host has room again: the next in line asks at once, while this one sends.
            PassLine(item);
        }

        var hostWait = TimeSpan.Zero;
        if (item.HostWaitStarted != 0)
        {
            hostWait = _time.GetElapsedTime(item.HostWaitStarted);
            item.HostWaitStarted = 0;
        }

        // The attempt owns the permit from here: it reports to it and disposes it, whatever happens.
        return AttemptAsync(item, permit, hostWait, path);
    }

    private void Write(BulkWorkItem? item, BulkResult result)
    {
        _counters.CountOutcome(result.Outcome);
        if (item?.LeadsLineOf is not null)
        {
            PassLine(item);
        }

        if (item is { Retrying: true })
        {
            Interlocked.Decrement(ref _counters.Retrying);
        }

        // The channel is unbounded but never holds more than MaxPendingRequests results: each holds its request's slot
        // until the caller takes it. So a worker never waits for the caller; a slow caller holds back the input instead.
        // It cannot be completed yet either: this request still holds a reference of _active.
        var written = _results.Writer.TryWrite(result);
        Debug.Assert(written, "The results channel completes only after the last result.");
        ExitOne();
    }

    private void ExitOne()
    {
        if (Interlocked.Decrement(ref _active) == 0)
        {
            _ready.Writer.TryComplete();
            _results.Writer.TryComplete();
        }
    }

    /// <summary>Gets how much of the request's deadline is spent: counted from the first time a worker took it.</summary>
    private TimeSpan DeadlineElapsed(BulkWorkItem item)
        => item.FirstTaken == 0 ? TimeSpan.Zero : _time.GetElapsedTime(item.FirstTaken);

    /// <summary>Whether a wait of <paramref name="wait"/> after <paramref name="elapsed"/> would reach the deadline (<see cref="RequestDeadline"/>).</summary>
    private bool PastDeadline(TimeSpan elapsed, TimeSpan wait)
        => RequestDeadline.Reaches(wait, RequestDeadline.Remaining(_retry.Deadline, elapsed));
}
