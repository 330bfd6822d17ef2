using Microsoft.Extensions.Time.Testing;
using Reprise.Timing;

namespace Reprise.Tests.Timing;

public class RequestTimeoutsTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void BeginAttempt_AttemptTimeoutBeforeTheDeadline_FiresTheAttemptOnly()
    {
        using var timeouts = new RequestTimeouts(CancellationToken.None, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(2), _time);
        timeouts.BeginAttempt();
        var attemptToken = timeouts.Token;

        _time.Advance(TimeSpan.FromSeconds(2));

        Assert.True(attemptToken.IsCancellationRequested);
        Assert.True(timeouts.AttemptTimedOut);
        Assert.False(timeouts.DeadlineExceeded);
    }

    [Fact]
    public void EndAttempt_AfterAnAttemptTimeout_GivesAFreshTokenThatTheDeadlineStillBounds()
    {
        using var timeouts = new RequestTimeouts(CancellationToken.None, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(2), _time);
        timeouts.BeginAttempt();
        _time.Advance(TimeSpan.FromSeconds(2));
        timeouts.EndAttempt();

        var fresh = timeouts.Token;
        Assert.False(fresh.IsCancellationRequested);
        Assert.False(timeouts.AttemptTimedOut);

        _time.Advance(TimeSpan.FromSeconds(7.9));
        Assert.False(fresh.IsCancellationRequested);
        _time.Advance(TimeSpan.FromSeconds(0.1));
        Assert.True(fresh.IsCancellationRequested);
        Assert.True(timeouts.DeadlineExceeded);
    }

    [Fact]
    public void BeginAttempt_DeadlineBeforeTheAttemptTimeout_FiresTheDeadline()
    {
        using var timeouts = new RequestTimeouts(CancellationToken.None, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(30), _time);
        _time.Advance(TimeSpan.FromSeconds(1));
        timeouts.BeginAttempt();

        _time.Advance(TimeSpan.FromSeconds(2));

        Assert.True(timeouts.Token.IsCancellationRequested);
        Assert.True(timeouts.DeadlineExceeded);
        Assert.False(timeouts.AttemptTimedOut);
    }

    [Fact]
    public void EndAttempt_BeforeItsTimeout_NothingFiresUntilTheDeadline()
    {
        using var timeouts = new RequestTimeouts(CancellationToken.None, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(2), _time);
        timeouts.BeginAttempt();
        _time.Advance(TimeSpan.FromSeconds(1));
        timeouts.EndAttempt();

        _time.Advance(TimeSpan.FromSeconds(5));

        Assert.False(timeouts.Token.IsCancellationRequested);
        Assert.False(timeouts.AttemptTimedOut);
    }

    [Fact]
    public void Token_CallerCancels_IsCancelledWithoutAnyTimeout()
    {
        using var caller = new CancellationTokenSource();
        using var timeouts = new RequestTimeouts(caller.Token, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan, _time);

        caller.Cancel();

        Assert.True(timeouts.Token.IsCancellationRequested);
        Assert.False(timeouts.DeadlineExceeded);
        Assert.False(timeouts.AttemptTimedOut);
    }
}
