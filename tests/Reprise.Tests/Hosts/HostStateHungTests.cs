using Reprise.Hosts;

namespace Reprise.Tests.Hosts;

/// <summary>
/// An attempt hung on its own URL gives its host's concurrency slot back while the host answers others at its usual
/// latency; a host that answers nobody, or answers everyone slowly, keeps its slots held.
/// </summary>
public sealed class HostStateHungTests
{
    private static HostCoordinationOptions TwoSlots() => new()
    {
        RetryThrottlingEnabled = false,
        AdaptiveConcurrencyEnabled = false,
        AdaptiveRateEnabled = false,
        MaxConcurrency = 2,
    };

    [Fact]
    public void TryAcquire_OldestHangsWhileTheHostAnswersOthers_ItsSlotGoesToTheNextRequest()
    {
        var clock = new HostTestClock(TwoSlots());
        using var hung = clock.State.TryAcquire(isRetry: false);
        AnswerOneIn(clock, TimeSpan.FromMilliseconds(10));
        using var busy = clock.State.TryAcquire(isRetry: false);
        Assert.Equal(HostDenialReason.ConcurrencyLimit, clock.State.TryAcquire(isRetry: false).DenialReason);

        // Hung: in flight four times the usual latency (4 x 10 ms, at least 250 ms) while a later request was answered.
        clock.Advance(TimeSpan.FromSeconds(1));

        using var next = clock.State.TryAcquire(isRetry: false);
        Assert.True(next.IsAcquired);
        Assert.Equal(1, clock.State.ReleasedHung);
        Assert.Equal(2, clock.Snapshot.InFlight);
    }

    [Fact]
    public void Dispose_HungAttemptEndsAfterGivingItsSlotBack_FreesNoSecondSlot()
    {
        var clock = new HostTestClock(TwoSlots());
        var hung = clock.State.TryAcquire(isRetry: false);
        AnswerOneIn(clock, TimeSpan.FromMilliseconds(10));
        using var busy = clock.State.TryAcquire(isRetry: false);
        Assert.False(clock.State.TryAcquire(isRetry: false).IsAcquired);
        clock.Advance(TimeSpan.FromSeconds(1));
        using var next = clock.State.TryAcquire(isRetry: false);

        hung.Complete(HostSignal.TimedOut, null);
        hung.Dispose();

        Assert.Equal(0, clock.State.ReleasedHung);
        Assert.Equal(2, clock.Snapshot.InFlight);
        Assert.Equal(HostDenialReason.ConcurrencyLimit, clock.State.TryAcquire(isRetry: false).DenialReason);
    }

    [Fact]
    public void TryAcquire_HostAnswersNobody_HungAttemptsKeepTheirSlots()
    {
        var clock = new HostTestClock(TwoSlots());
        AnswerOneIn(clock, TimeSpan.FromMilliseconds(10)); // the host's usual latency is known
        using var first = clock.State.TryAcquire(isRetry: false);
        using var second = clock.State.TryAcquire(isRetry: false);
        Assert.False(clock.State.TryAcquire(isRetry: false).IsAcquired);

        // Nothing granted after them was answered: the host, not their URLs, may be the trouble.
        clock.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(HostDenialReason.ConcurrencyLimit, clock.State.TryAcquire(isRetry: false).DenialReason);
        Assert.Equal(0, clock.State.ReleasedHung);
    }

    [Fact]
    public void TryAcquire_HostSlowForEveryone_SlowAttemptsKeepTheirSlots()
    {
        var clock = new HostTestClock(TwoSlots());
        using var slow = clock.State.TryAcquire(isRetry: false);
        AnswerOneIn(clock, TimeSpan.FromSeconds(3)); // answered, but in 3 s: the host's usual latency
        using var busy = clock.State.TryAcquire(isRetry: false);
        Assert.False(clock.State.TryAcquire(isRetry: false).IsAcquired);

        // 5 s in flight is under four times the usual latency: slow like everyone, not hung.
        clock.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal(HostDenialReason.ConcurrencyLimit, clock.State.TryAcquire(isRetry: false).DenialReason);
        Assert.Equal(0, clock.State.ReleasedHung);
    }

    [Fact]
    public void TryAcquire_ManyHung_ReleasedSlotsAreCappedAtFourTimesTheCap()
    {
        var clock = new HostTestClock(TwoSlots());
        var hung = new List<HostPermit>();
        int mostReleased = 0;

        // Every second one request is answered and one hangs; a request that finds the host full makes the oldest hung
        // one give its slot back.
        for (int second = 0; second < 20; second++)
        {
            AnswerOneIn(clock, TimeSpan.FromMilliseconds(10), expectSlot: false);
            if (clock.State.TryAcquire(isRetry: false) is { IsAcquired: true } permit)
            {
                hung.Add(permit);
            }

            if (clock.Snapshot.InFlight >= 2)
            {
                Assert.False(clock.State.TryAcquire(isRetry: false).IsAcquired);
            }

            clock.Advance(TimeSpan.FromSeconds(1));
            mostReleased = Math.Max(mostReleased, clock.State.ReleasedHung);
        }

        Assert.Equal(8, mostReleased);
        Assert.Equal(8, clock.State.ReleasedHung);
        hung.ForEach(p => p.Dispose());
        Assert.Equal(0, clock.State.ReleasedHung);
        Assert.Equal(0, clock.Snapshot.InFlight);
    }

    /// <summary>Sends one request that the host answers after <paramref name="latency"/>.</summary>
    private static void AnswerOneIn(HostTestClock clock, TimeSpan latency, bool expectSlot = true)
    {
        var permit = clock.State.TryAcquire(isRetry: false);
        if (!permit.IsAcquired)
        {
            Assert.False(expectSlot, "no slot for the answered request");
            return;
        }

        clock.Advance(latency);
        permit.Complete(HostSignal.Accepted, null);
        permit.Dispose();
    }
}
