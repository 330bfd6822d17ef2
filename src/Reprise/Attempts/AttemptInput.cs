using Reprise.Hosts;
using Reprise.Retry;

namespace Reprise.Attempts;

/// <summary>What one attempt is given: the message to send, the request it stands for, the host's permit and the request's state.</summary>
internal readonly struct AttemptInput
{
    /// <summary>Gets the message this attempt sends.</summary>
    public required HttpRequestMessage Message { get; init; }

    /// <summary>Gets the request the attempt is classified by (the caller's, or the message itself).</summary>
    public required HttpRequestMessage Request { get; init; }

    public required Uri Uri { get; init; }

    public required int Attempt { get; init; }

    /// <summary>Gets the host's permit; the attempt reports to it, its path disposes it.</summary>
    public required HostPermit Permit { get; init; }

    /// <summary>Gets when the attempt is sent.</summary>
    public required long Sent { get; init; }

    public required TimeSpan HostWait { get; init; }

    public required RetryHistory History { get; init; }

    public required bool HasIdempotencyKey { get; init; }

    public required bool BodyReplayable { get; init; }

    /// <summary>Gets the wait before this attempt (decorrelated jitter).</summary>
    public required TimeSpan PreviousDelay { get; init; }
}
