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

    [Fact]
    public void Start_ReusedInstance_FiresTheNewRequestsLimitsOnTimeOnly()
    {
        using var timeouts = new RequestTimeouts(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(2), _time);
        timeouts.Start(CancellationToken.None, _time.GetTimestamp());
        timeouts.BeginAttempt();
        _time.Advance(TimeSpan.FromSeconds(1));
        timeouts.EndAttempt();
        Assert.True(timeouts.End(tokenReleased: true));

        // The timer the first request armed for its attempt (due at 2 s) fires during the second, which it must not cancel.
        timeouts.Start(CancellationToken.None, _time.GetTimestamp());
        _time.Advance(TimeSpan.FromSeconds(1.5));
        Assert.False(timeouts.Token.IsCancellationRequested);

        timeouts.BeginAttempt();
        _time.Advance(TimeSpan.FromSeconds(1.9));
        Assert.False(timeouts.Token.IsCancellationRequested);
        _time.Advance(TimeSpan.FromSeconds(0.1));
        Assert.True(timeouts.Token.IsCancellationRequested);
        Assert.True(timeouts.AttemptTimedOut);
    }

    [Fact]
    public void Start_ReusedInstance_FiresTheNewRequestsDeadline()
    {
        using var timeouts = new RequestTimeouts(TimeSpan.FromSeconds(3), Timeout.InfiniteTimeSpan, _time);
        timeouts.Start(CancellationToken.None, _time.GetTimestamp());
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(timeouts.End(tokenReleased: true));

        timeouts.Start(CancellationToken.None, _time.GetTimestamp());
        _time.Advance(TimeSpan.FromSeconds(2.9));
        Assert.False(timeouts.Token.IsCancellationRequested);
        _time.Advance(TimeSpan.FromSeconds(0.1));
        Assert.True(timeouts.Token.IsCancellationRequested);
        Assert.True(timeouts.DeadlineExceeded);
    }

    [Fact]
    public void End_TokenReleasedAndNothingCancelled_KeepsTheSource()
    {
        using var timeouts = new RequestTimeouts(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(2), _time);
        timeouts.Start(CancellationToken.None, _time.GetTimestamp());
        var first = timeouts.Token;

        Assert.True(timeouts.End(tokenReleased: true));
        timeouts.Start(CancellationToken.None, _time.GetTimestamp());

        Assert.Equal(first, timeouts.Token);
    }

    [Fact]
    public void End_TokenNotReleased_GivesTheNextRequestAFreshSource()
    {
        using var timeouts = new RequestTimeouts(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(2), _time);
        timeouts.Start(CancellationToken.None, _time.GetTimestamp());
        var first = timeouts.Token;

        Assert.True(timeouts.End(tokenReleased: false));
        timeouts.Start(CancellationToken.None, _time.GetTimestamp());

        Assert.NotEqual(first, timeouts.Token);
        Assert.False(timeouts.Token.IsCancellationRequested);
    }

    [Fact]
    public void End_AfterADeadline_GivesTheNextRequestAnUncancelledToken()
    {
        using var timeouts = new RequestTimeouts(TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan, _time);
        timeouts.Start(CancellationToken.None, _time.GetTimestamp());
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(timeouts.DeadlineExceeded);

        Assert.True(timeouts.End(tokenReleased: true));
        timeouts.Start(CancellationToken.None, _time.GetTimestamp());

        Assert.False(timeouts.Token.IsCancellationRequested);
        Assert.False(timeouts.DeadlineExceeded);
    }

    [Fact]
    public void End_CallerCancelsAfterwards_DoesNotReachTheNextRequest()
    {
        using var caller = new CancellationTokenSource();
        using var timeouts = new RequestTimeouts(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(2), _time);
        timeouts.Start(caller.Token, _time.GetTimestamp());
        Assert.True(timeouts.End(tokenReleased: true));

        timeouts.Start(CancellationToken.None, _time.GetTimestamp());
        caller.Cancel();

        Assert.False(timeouts.Token.IsCancellationRequested);
    }

    [Fact]
    public void End_AfterTheCallerCancelled_GivesTheNextRequestAnUncancelledToken()
    {
        using var caller = new CancellationTokenSource();
        using var timeouts = new RequestTimeouts(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(2), _time);
        timeouts.Start(caller.Token, _time.GetTimestamp());
        caller.Cancel();
        Assert.True(timeouts.Token.IsCancellationRequested);

        Assert.True(timeouts.End(tokenReleased: true));
        timeouts.Start(CancellationToken.None, _time.GetTimestamp());

        Assert.False(timeouts.Token.IsCancellationRequested);
    }

    [Fact]
    public void Start_CallerAlreadyCancelled_TokenIsCancelled()
    {
        using var timeouts = new RequestTimeouts(new CancellationToken(canceled: true), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(2), _time);

        Assert.True(timeouts.Token.IsCancellationRequested);
        Assert.False(timeouts.DeadlineExceeded);
    }

    [Fact]
    public void EndAttempt_CallerCancelsAfterAnAttemptTimeout_ReachesTheFreshSource()
    {
        using var caller = new CancellationTokenSource();
        using var timeouts = new RequestTimeouts(caller.Token, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(2), _time);
        timeouts.BeginAttempt();
        _time.Advance(TimeSpan.FromSeconds(2));
        timeouts.EndAttempt();

        caller.Cancel();

        Assert.True(timeouts.Token.IsCancellationRequested);
        Assert.False(timeouts.DeadlineExceeded);
    }

    [Fact]
    public async Task Timer_OfAReusableInstance_DoesNotKeepTheCreatorsExecutionContext()
    {
        var local = new AsyncLocal<string?> { Value = "the request that created the instance" };
        using var timeouts = new RequestTimeouts(TimeSpan.FromMilliseconds(1), Timeout.InfiniteTimeSpan, TimeProvider.System);
        local.Value = null;
        var seen = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);

        timeouts.Start(CancellationToken.None, TimeProvider.System.GetTimestamp());
        using var registration = timeouts.Token.UnsafeRegister(_ => seen.TrySetResult(local.Value), null);

        // The deadline's cancellation runs on the timer's thread, in the timer's context.
        Assert.Null(await seen.Task.WaitAsync(TimeSpan.FromSeconds(30)));
    }
}
