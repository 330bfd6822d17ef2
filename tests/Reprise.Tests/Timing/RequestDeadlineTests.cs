using Reprise.Timing;

namespace Reprise.Tests.Timing;

public sealed class RequestDeadlineTests
{
    // Seconds; -1 is no deadline (Timeout.InfiniteTimeSpan).
    [Theory]
    [InlineData(-1, 5, -1)] // no deadline: infinite
    [InlineData(10, 0, 10)]
    [InlineData(10, 4, 6)]
    [InlineData(10, 10, 0)] // reached: nothing left
    [InlineData(10, 12, 0)] // passed: never negative
    public void Remaining_DeadlineAndElapsed_LeavesTheRest(double deadlineSeconds, double elapsedSeconds, double remainingSeconds)
    {
        var remaining = RequestDeadline.Remaining(Seconds(deadlineSeconds), TimeSpan.FromSeconds(elapsedSeconds));

        Assert.Equal(Seconds(remainingSeconds), remaining);
    }

    [Theory]
    [InlineData(1, -1, false)] // no deadline: no wait reaches it
    [InlineData(1, 2, false)]
    [InlineData(2, 2, true)] // a wait that ends at the deadline reaches it
    [InlineData(0, 0, true)]
    public void Reaches_DelayAndRemaining_SaysWhetherTheWaitMeetsTheDeadline(double delaySeconds, double remainingSeconds, bool reaches)
    {
        Assert.Equal(reaches, RequestDeadline.Reaches(TimeSpan.FromSeconds(delaySeconds), Seconds(remainingSeconds)));
    }

    [Fact]
    public void RemainingAt_RequestTimeouts_CountsFromTheRequestsStart()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        using var timeouts = new RequestTimeouts(CancellationToken.None, TimeSpan.FromSeconds(10), Timeout.InfiniteTimeSpan, time);

        time.Advance(TimeSpan.FromSeconds(3));

        Assert.Equal(TimeSpan.FromSeconds(7), timeouts.RemainingAt(time.GetTimestamp()));
    }

    private static TimeSpan Seconds(double seconds) => seconds < 0 ? Timeout.InfiniteTimeSpan : TimeSpan.FromSeconds(seconds);
}
