namespace Reprise.Hosts;

/// <summary>One host's shared view: pause, retry throttle, breaker and adaptive limits.</summary>
internal sealed class HostState
{
    /// <summary>Asks for a permit without waiting (the bulk engine's scheduler parks refused work).</summary>
    public HostPermit TryAcquire(bool isRetry) => HostPermit.Granted;

    /// <summary>Waits until an attempt may be sent; refuses only where the options say fail fast.</summary>
    public ValueTask<HostPermit> AcquireAsync(bool isRetry, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(HostPermit.Granted);
    }
}
