using Microsoft.Extensions.Time.Testing;
using Reprise.Hosts;

namespace Reprise.Tests.Hosts;

/// <summary>A registry on fake time with a random source the test controls.</summary>
internal sealed class HostTestClock
{
    public static readonly Uri Host = new("https://api.test/items");

    public HostTestClock(HostCoordinationOptions? options = null, Func<double>? random = null)
    {
        Registry = new HostRegistry(options ?? new HostCoordinationOptions(), Time, random ?? (() => NextRandom));
        State = Registry.GetState(Host);
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public HostRegistry Registry { get; }

    public HostState State { get; }

    /// <summary>Gets or sets what every random draw returns.</summary>
    public double NextRandom { get; set; } = 0.5;

    public HostSnapshot Snapshot => Registry.GetSnapshot(Host)!;

    /// <summary>
    /// Advances fake time with no synchronization context, so the waiters it releases resume inline before it returns
    /// (under xUnit's context every continuation would be posted and run at some later moment).
    /// </summary>
    public void Advance(TimeSpan by)
    {
        var context = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(null);
        try
        {
            Time.Advance(by);
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(context);
        }
    }

    /// <summary>Sends one attempt and reports <paramref name="signal"/>.</summary>
    public HostPermit Send(HostSignal signal, TimeSpan? retryAfter = null, bool isRetry = false)
    {
        var permit = State.TryAcquire(isRetry);
        Assert.True(permit.IsAcquired, permit.DenialReason.Describe());
        permit.Complete(signal, retryAfter);
        permit.Dispose();
        return permit;
    }
}
