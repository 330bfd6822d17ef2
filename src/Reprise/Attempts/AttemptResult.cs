using Reprise.Hosts;
using Reprise.Retry;

namespace Reprise.Attempts;

/// <summary>How one attempt ended, for its path.</summary>
internal enum AttemptEnd
{
    /// <summary>The request ends with this attempt (<see cref="AttemptResult.Decision"/> says why).</summary>
    Final,

    /// <summary>The request goes round again after <see cref="RetryDecision.Delay"/>; the response was discarded.</summary>
    Retry,

    /// <summary>The caller, the run or the deadline cancelled the attempt (<see cref="AttemptResult.Fault"/> says which).</summary>
    Cancelled,
}

/// <summary>What happened in one attempt: its record, its decision, and the response or the error (a struct: no allocation).</summary>
internal readonly struct AttemptResult
{
    public AttemptEnd End { get; init; }

    public AttemptRecord Record { get; init; }

    public RetryDecision Decision { get; init; }

    public AttemptFault Fault { get; init; }

    /// <summary>Gets what the attempt told the host (<see cref="HostSignal.Cancelled"/> for the request's own limits).</summary>
    public HostSignal Signal { get; init; }

    /// <summary>Gets the final response (null when retrying: it was discarded).</summary>
    public HttpResponseMessage? Response { get; init; }

    public Exception? Error { get; init; }

    /// <summary>Gets the wait the server asked for, uncapped.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>Gets when the attempt ended.</summary>
    public long Ended { get; init; }
}
