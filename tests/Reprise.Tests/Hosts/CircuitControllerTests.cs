using Reprise.Hosts;

namespace Reprise.Tests.Hosts;

public sealed class CircuitControllerTests
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);
    private readonly List<(HostCircuitState From, HostCircuitState To)> _transitions = [];

    private CircuitController Create(int threshold = 3, TimeSpan? maxPause = null, double graceShare = 1) => new(
        new ConsecutiveFailuresBehavior(threshold, Second, 30 * Second),
        maxProbeWait: 30 * Second,
        maxPause ?? TimeSpan.FromMinutes(1),
        (from, to) => _transitions.Add((from, to)),
        graceShare);

    [Fact]
    public void Check_NoRequestFitToProbe_AnyoneProbesOnceTheReleaseSpreadHasPassed()
    {
        var circuit = Create(threshold: 1, graceShare: 0.1);
        circuit.OnOutcome(TimeSpan.Zero, isProbe: false, HostSignal.Failed, null);
        circuit.Check(Second, out _);
        circuit.OnOutcome(Second, isProbe: true, HostSignal.Failed, null);

        // Open for 2 s, to 3 s: a request fit to probe (sent before) goes first for a tenth of the interval (0.2 s),
        // by when every request waiting for the probe time has asked; then a fresh one may probe.
        Assert.Equal(CircuitCheck.Open, circuit.Check(3 * Second, mayProbe: false, out var wait));
        Assert.Equal(TimeSpan.FromMilliseconds(200), wait);
        Assert.Equal(CircuitCheck.Probe, circuit.Check(TimeSpan.FromMilliseconds(3_200), mayProbe: false, out _));
    }

    [Fact]
    public void ProbeNow_WaiterOutOfTime_LetsAnyoneProbeAndAFailureKeepsTheScheduledProbeTime()
    {
        var circuit = Create(threshold: 1);
        circuit.OnOutcome(TimeSpan.Zero, isProbe: false, HostSignal.Failed, null);
        Assert.Equal(Second, circuit.NextProbeAt);
        circuit.Check(Second, out _);
        circuit.OnOutcome(Second, isProbe: true, HostSignal.Failed, null);
        Assert.Equal(3 * Second, circuit.NextProbeAt);

        Assert.True(circuit.ProbeNow(TimeSpan.FromMilliseconds(1_500)));
        Assert.Equal(CircuitCheck.Probe, circuit.Check(TimeSpan.FromMilliseconds(1_500), mayProbe: false, out _));
        Assert.False(circuit.ProbeNow(TimeSpan.FromMilliseconds(1_600)));

        // The last try fails: open until the behaviour's own probe time, not backed off further.
        Assert.True(circuit.OnOutcome(TimeSpan.FromMilliseconds(1_700), isProbe: true, HostSignal.Failed, null));
        Assert.Equal(3 * Second, circuit.NextProbeAt);
        Assert.Equal(TimeSpan.FromMilliseconds(1_700), circuit.LastProbeFailedAt);
        Assert.Equal(2, circuit.FailedProbes);
    }

    [Fact]
    public void OnOutcome_ThresholdFailuresInARow_OpensUntilTheFirstProbe()
    {
        var circuit = Create();

        Assert.False(circuit.OnOutcome(TimeSpan.Zero, isProbe: false, HostSignal.Failed, null));
        Assert.False(circuit.OnOutcome(TimeSpan.Zero, isProbe: false, HostSignal.TimedOut, null));
        Assert.True(circuit.OnOutcome(TimeSpan.Zero, isProbe: false, HostSignal.Failed, null));

        Assert.Equal(HostCircuitState.Open, circuit.State);
        Assert.Equal(Second, circuit.NextProbeAt);
        Assert.Equal(CircuitCheck.Open, circuit.Check(TimeSpan.FromMilliseconds(400), out var wait));
        Assert.Equal(TimeSpan.FromMilliseconds(600), wait);
    }

    [Fact]
    public void Check_ProbeTimeCame_MakesOneProbeAndTheRestWait()
    {
        var circuit = Create(threshold: 1);
        circuit.OnOutcome(TimeSpan.Zero, isProbe: false, HostSignal.Failed, null);

        Assert.Equal(CircuitCheck.Probe, circuit.Check(Second, out _));
        Assert.Equal(CircuitCheck.Probing, circuit.Check(Second, out var wait));
        Assert.Equal(30 * Second, wait);
        Assert.Equal([(HostCircuitState.Closed, HostCircuitState.Open), (HostCircuitState.Open, HostCircuitState.HalfOpen)], _transitions);
    }

    [Fact]
    public void OnOutcome_ProbesFail_ReopenWithDoublingIntervalsEvenWhenTheServerNamesOne()
    {
        var circuit = Create(threshold: 1);
        var now = TimeSpan.Zero;
        circuit.OnOutcome(now, isProbe: false, HostSignal.Failed, null);
        var intervals = new List<TimeSpan>();
        foreach (var retryAfter in new TimeSpan?[] { null, 7 * Second, null })
        {
            now = circuit.NextProbeAt;
            circuit.Check(now, out _);
            Assert.True(circuit.OnOutcome(now, isProbe: true, HostSignal.Failed, retryAfter));
            intervals.Add(circuit.OpenInterval);
        }

        // The server's 7 s stands for its probe, and the failed probe still counts: the next backoff is 8 s.
        Assert.Equal([2 * Second, 7 * Second, 8 * Second], intervals);
    }

    [Fact]
    public void OnOutcome_ProbeAccepted_ClosesAndStartsTheCountAfresh()
    {
        var circuit = Create(threshold: 2);
        circuit.OnOutcome(TimeSpan.Zero, isProbe: false, HostSignal.Failed, null);
        circuit.OnOutcome(TimeSpan.Zero, isProbe: false, HostSignal.Failed, null);
        circuit.Check(Second, out _);

        Assert.False(circuit.OnOutcome(Second, isProbe: true, HostSignal.Accepted, null));
        Assert.Equal(HostCircuitState.Closed, circuit.State);
        Assert.False(circuit.OnOutcome(Second, isProbe: false, HostSignal.Failed, null));
        Assert.Equal(CircuitCheck.Pass, circuit.Check(Second, out _));
    }

    [Fact]
    public void OnOutcome_ProbeCancelled_NextCallerProbesAtOnce()
    {
        var circuit = Create(threshold: 1);
        circuit.OnOutcome(TimeSpan.Zero, isProbe: false, HostSignal.Failed, null);
        circuit.Check(Second, out _);

        Assert.False(circuit.OnOutcome(Second, isProbe: true, HostSignal.Cancelled, null));

        Assert.Equal(CircuitCheck.Probe, circuit.Check(Second, out _));
    }

    [Fact]
    public void OnOutcome_ServerWaitAboveMaxPause_OpensOnlyForMaxPause()
    {
        var circuit = Create(threshold: 1, maxPause: 5 * Second);

        circuit.OnOutcome(TimeSpan.Zero, isProbe: false, HostSignal.Failed, TimeSpan.FromHours(1));

        Assert.Equal(5 * Second, circuit.NextProbeAt);
    }

    [Fact]
    public void OnOutcome_NoBehavior_NeverOpens()
    {
        var circuit = new CircuitController(null, Second, Second, null);
        for (int i = 0; i < 1_000; i++)
        {
            Assert.False(circuit.OnOutcome(TimeSpan.Zero, isProbe: false, HostSignal.Failed, null));
        }

        Assert.Equal(CircuitCheck.Pass, circuit.Check(TimeSpan.Zero, out _));
    }

    [Theory]
    [InlineData("Failed", true)]
    [InlineData("TimedOut", true)]
    [InlineData("Throttled", false)]
    [InlineData("Cancelled", false)]
    public void ConsecutiveFailuresBehavior_RunOfSignals_BreaksOnlyOnFailuresAndTimeouts(string signalName, bool breaks)
    {
        var behavior = new ConsecutiveFailuresBehavior(3, Second, 30 * Second);
        var signal = Enum.Parse<HostSignal>(signalName);

        Assert.False(behavior.OnClosedOutcome(signal));
        Assert.False(behavior.OnClosedOutcome(signal));
        Assert.Equal(breaks, behavior.OnClosedOutcome(signal));
    }

    [Fact]
    public void ConsecutiveFailuresBehavior_AcceptedWithinTheRun_ResetsIt()
    {
        var behavior = new ConsecutiveFailuresBehavior(2, Second, 30 * Second);

        Assert.False(behavior.OnClosedOutcome(HostSignal.Failed));
        Assert.False(behavior.OnClosedOutcome(HostSignal.Accepted));
        Assert.False(behavior.OnClosedOutcome(HostSignal.Failed));
        Assert.True(behavior.OnClosedOutcome(HostSignal.Failed));
    }

    [Theory]
    [InlineData(1, 2)]
    [InlineData(4, 16)]
    [InlineData(5, 30)]
    [InlineData(1_000, 30)]
    public void ProbeBackoff_FailedProbes_DoublesUpToTheMaximum(int failedProbes, double seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), ConsecutiveFailuresBehavior.ProbeBackoff(failedProbes, Second, 30 * Second));
    }
}
