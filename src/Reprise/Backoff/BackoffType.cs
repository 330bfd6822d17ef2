namespace Reprise.Backoff;

/// <summary>How the wait before a retry grows from one attempt to the next.</summary>
public enum BackoffType
{
    /// <summary>
    /// Exponential growth with full jitter: the wait before retry <c>n</c> is drawn uniformly from
    /// <c>[0, min(MaxDelay, BaseDelay * 2^(n-1)))</c>. Spreads retries of many clients apart; the default.
    /// </summary>
    ExponentialWithJitter,

    /// <summary>Exponential growth without jitter: <c>min(MaxDelay, BaseDelay * 2^(n-1))</c>.</summary>
    Exponential,

    /// <summary>The same wait before every retry: <c>BaseDelay</c>.</summary>
    Constant,

    /// <summary>Linear growth: <c>min(MaxDelay, BaseDelay * n)</c>.</summary>
    Linear,

    /// <summary>
    /// Decorrelated jitter: each wait is drawn from <c>[BaseDelay, previous * 3)</c>, capped at <c>MaxDelay</c>.
    /// </summary>
    DecorrelatedJitter,
}
