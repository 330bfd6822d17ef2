using Reprise.Retry;

namespace Reprise.Attempts;

/// <summary>How an attempt's fault ends the attempt.</summary>
internal enum AttemptFault
{
    /// <summary>An error of the attempt (a transport error, a timeout of the attempt): classified like any outcome.</summary>
    Error,

    /// <summary>The request's deadline cut the attempt: an error of the attempt, but the request's own limit, not a signal about the host.</summary>
    CutAtDeadline,

    /// <summary>The caller (or the run) cancelled: the attempt ends as cancelled, and so does the request.</summary>
    Cancelled,

    /// <summary>The request's deadline passed: the attempt ends as cancelled, and the request with its deadline.</summary>
    DeadlinePassed,
}

/// <summary>What one path (the handler, a bulk worker) gives the shared attempt: its transport, its limits and its body step.</summary>
internal interface IAttemptPath
{
    /// <summary>Gets whether the attempt's duration includes the final body step (the handler buffers inside the attempt).</summary>
    bool BodyInAttempt { get; }

    /// <summary>Sends the message through the path's inner handler.</summary>
    Task<HttpResponseMessage> SendAsync(HttpRequestMessage message, CancellationToken cancellationToken);

    /// <summary>Gets what the last final body step of this path reported (the handler's throws instead: always empty).</summary>
    AttemptBody Body { get; }

    /// <summary>Reads a final response's body where the path wants it; may throw, as a send does.</summary>
    ValueTask ReadFinalBodyAsync(HttpResponseMessage response, in AttemptVerdict verdict, CancellationToken attemptToken);

    /// <summary>Gets the attempt's end on the host registry's clock, or null to let the host read its own clock.</summary>
    TimeSpan? RegistryTimeAt(long timestamp);
}

/// <summary>The limits one attempt runs under: the attempt timeout and what is left of the request's deadline.</summary>
internal interface IAttemptLimits
{
    /// <summary>Arms the attempt's limits from <paramref name="sent"/>; returns the token of the attempt.</summary>
    CancellationToken BeginAttempt(long sent);

    /// <summary>Disarms what <see cref="BeginAttempt"/> armed; may be called more than once.</summary>
    void EndAttempt();

    /// <summary>Says what a fault of the attempt means, and the error it stands for (a timeout as <see cref="TimeoutException"/>).</summary>
    AttemptFault Fault(Exception exception, out Exception error);

    /// <summary>Gets how much of the request's deadline is spent at <paramref name="timestamp"/>.</summary>
    TimeSpan ElapsedAt(long timestamp);

    /// <summary>Gets the cancellation a discarded response is drained under (the request's or the run's).</summary>
    CancellationToken DiscardToken { get; }
}

/// <summary>What the final body step reported: nothing (read in full), a read error, a deadline cut, or a cancellation.</summary>
internal readonly record struct AttemptBody(Exception? ReadError, bool CutAtDeadline, bool Cancelled);
