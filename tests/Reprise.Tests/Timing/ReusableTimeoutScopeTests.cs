using Microsoft.Extensions.Time.Testing;
using Reprise.Timing;

namespace Reprise.Tests.Timing;

public class ReusableTimeoutScopeTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void Start_TimeoutPasses_CancelsTheTokenAsATimeout()
    {
        using var scope = new ReusableTimeoutScope(CancellationToken.None, _time);
        var token = scope.Start(TimeSpan.FromSeconds(2));

        _time.Advance(TimeSpan.FromSeconds(1.999));
        Assert.False(token.IsCancellationRequested);
        _time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.True(token.IsCancellationRequested);
        Assert.True(scope.TimedOut);
    }

    [Fact]
    public void Stop_AfterATimeout_TheNextOperationGetsAFreshTokenWithItsOwnTimeout()
    {
        using var scope = new ReusableTimeoutScope(CancellationToken.None, _time);
        scope.Start(TimeSpan.FromSeconds(2));
        _time.Advance(TimeSpan.FromSeconds(2));
        scope.Stop();

        var next = scope.Start(TimeSpan.FromSeconds(5));
        Assert.False(next.IsCancellationRequested);
        Assert.False(scope.TimedOut);

        _time.Advance(TimeSpan.FromSeconds(4));
        Assert.False(next.IsCancellationRequested);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(next.IsCancellationRequested);
        Assert.True(scope.TimedOut);
    }

    [Fact]
    public void Stop_BeforeTheTimeout_TheOldTimeoutNeverCancelsTheNextOperation()
    {
        using var scope = new ReusableTimeoutScope(CancellationToken.None, _time);
        scope.Start(TimeSpan.FromSeconds(2));
        _time.Advance(TimeSpan.FromSeconds(1));
        scope.Stop();

        var next = scope.Start(Timeout.InfiniteTimeSpan);
        _time.Advance(TimeSpan.FromMinutes(10));

        Assert.False(next.IsCancellationRequested);
        Assert.False(scope.TimedOut);
    }

    [Fact]
    public void Start_ParentCancelled_CancelsTheTokenButIsNoTimeout()
    {
        using var parent = new CancellationTokenSource();
        using var scope = new ReusableTimeoutScope(parent.Token, _time);
        var token = scope.Start(TimeSpan.FromSeconds(2));

        parent.Cancel();

        Assert.True(token.IsCancellationRequested);
        Assert.False(scope.TimedOut);

        scope.Stop();
        Assert.True(scope.Start(TimeSpan.FromSeconds(2)).IsCancellationRequested);
        Assert.False(scope.TimedOut);
    }

    [Fact]
    public void Stop_OnTheSystemClockBeforeTheTimeout_ReusesTheSameSource()
    {
        // The point of the type: on the system clock an operation that ends in time costs no new source or timer.
        using var scope = new ReusableTimeoutScope(CancellationToken.None, TimeProvider.System);
        var first = scope.Start(TimeSpan.FromMinutes(1));
        scope.Stop();
        var second = scope.Start(TimeSpan.FromMinutes(1));
        scope.Stop();

        Assert.Equal(first, second);
        Assert.False(second.IsCancellationRequested);
    }

    [Fact]
    public async Task Start_OnTheSystemClock_TimesOut()
    {
        using var scope = new ReusableTimeoutScope(CancellationToken.None, TimeProvider.System);
        var token = scope.Start(TimeSpan.FromMilliseconds(20));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Task.Delay(Timeout.InfiniteTimeSpan, token).WaitAsync(TimeSpan.FromSeconds(30)));

        Assert.True(scope.TimedOut);
        scope.Stop();
        Assert.False(scope.Start(Timeout.InfiniteTimeSpan).IsCancellationRequested);
    }
}
