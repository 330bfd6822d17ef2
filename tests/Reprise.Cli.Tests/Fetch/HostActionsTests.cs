using Reprise.Cli.Fetch;

namespace Reprise.Cli.Tests.Fetch;

public class HostActionsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Paused_OverlappingPauses_CountOnceAndTheTotalIsTheirUnion()
    {
        var actions = new HostActions();

        actions.Paused(T0, TimeSpan.FromSeconds(2));
        actions.Paused(T0.AddSeconds(1), TimeSpan.FromSeconds(2));   // extends to 3 s
        actions.Paused(T0.AddSeconds(10), TimeSpan.FromSeconds(1));  // a second pause

        Assert.Equal(2, actions.Pauses);
        Assert.Equal(TimeSpan.FromSeconds(4), actions.PausedTotal(T0.AddSeconds(20)));
        Assert.Equal("paused by Retry-After 2 times, 4s in all", actions.Describe(T0.AddSeconds(20), perHost: 16));
    }

    [Fact]
    public void CircuitChanged_OpenProbeOpenClose_IsOneOpeningWithItsWholeTime()
    {
        var actions = new HostActions();

        actions.CircuitChanged(T0, "closed", "open");
        actions.CircuitChanged(T0.AddSeconds(1), "open", "half_open");
        actions.CircuitChanged(T0.AddSeconds(1.1), "half_open", "open");
        actions.CircuitChanged(T0.AddSeconds(3), "open", "half_open");
        actions.CircuitChanged(T0.AddSeconds(3.5), "half_open", "closed");

        Assert.Equal(1, actions.CircuitOpenings);
        Assert.Equal("circuit breaker opened once, 3.5s open in all", actions.Describe(T0.AddSeconds(60), perHost: 16));
    }

    [Fact]
    public void CircuitChanged_StillOpen_CountsToNow()
    {
        var actions = new HostActions();

        actions.CircuitChanged(T0, "closed", "open");

        Assert.Equal(TimeSpan.FromSeconds(5), actions.CircuitOpenTotal(T0.AddSeconds(5)));
    }

    [Fact]
    public void Describe_NothingDone_IsNull() => Assert.Null(new HostActions().Describe(T0, perHost: 16));
}
