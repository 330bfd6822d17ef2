using Reprise.Chaos.Configuration;

namespace Reprise.Chaos.Faults;

/// <summary>
/// A host's capacity: a request passes if fewer than the limit are in service, and holds its place until
/// <see cref="Release"/>; beyond the limit it is answered at once. Unlike the other gates it is entered after them,
/// so that a request they turn away never takes a place.
/// </summary>
internal sealed class CapacityGate : Gate
{
    private readonly int _limit;
    private readonly Rejection _rejection;
    private int _inService;

    public CapacityGate(ChaosCapacityOptions options)
    {
        _limit = options.Limit;
        ServiceTime = TimeSpan.FromMilliseconds(options.ServiceMs);
        _rejection = new Rejection(options.Status, options.RetryAfterSeconds, options.RetryAfterFormat);
    }

    /// <summary>Gets how long an admitted request holds its place before the route answers it.</summary>
    public TimeSpan ServiceTime { get; }

    /// <summary>Takes a place (call <see cref="Release"/> when the answer ends), or says how to answer instead.</summary>
    public override bool TryPass(out Rejection rejection)
    {
        if (Interlocked.Increment(ref _inService) <= _limit)
        {
            rejection = default;
            return true;
        }

        Interlocked.Decrement(ref _inService);
        rejection = _rejection;
        return false;
    }

    public void Release() => Interlocked.Decrement(ref _inService);
}
