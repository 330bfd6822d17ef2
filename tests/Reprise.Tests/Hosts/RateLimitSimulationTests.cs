using Reprise.Hosts;
using Xunit.Abstractions;

namespace Reprise.Tests.Hosts;

public sealed class RateLimitSimulationTests
{
    private readonly ITestOutputHelper _output;

    public RateLimitSimulationTests(ITestOutputHelper output) => _output = output;

    // Each 429 carries Retry-After: 1 (whole seconds), so every probe above the limit costs a one-second pause of the
    // host. With a server burst of a second's worth the target (>= 0.9 R, < 10% 429s) holds; with a tiny burst any
    // excursion above R is punished at once and the served share is lower, which these rows pin down honestly.
    [Theory]
    [InlineData(20, 20, 8, 0.9)]
    [InlineData(100, 100, 64, 0.9)]
    [InlineData(100, 10, 16, 0.85)]
    [InlineData(500, 50, 64, 0.85)]
    [InlineData(100, 1, 16, 0.75)]
    [InlineData(20, 1, 8, 0.7)]
    public void TryAcquire_ServerLimitedToRatePerSecond_ServesNearTheLimitWithFew429(double rate, double burst, int workers, double minimumShare)
    {
        var measureFrom = TimeSpan.FromSeconds(10);
        var duration = TimeSpan.FromSeconds(70);
        var simulation = new RateLimitedHostSimulation(rate, burst, workers, TimeSpan.FromMilliseconds(1), measureFrom);

        simulation.Run(duration);

        double seconds = (duration - measureFrom).TotalSeconds;
        double throughput = simulation.Accepted / seconds;
        double throttledShare = (double)simulation.Throttled / simulation.Sent;
        _output.WriteLine($"R={rate} burst={burst} workers={workers}: served {throughput:F1}/s ({throughput / rate:P1}), 429s {throttledShare:P2} of {simulation.Sent}, rate now {simulation.State.RateLimiter?.CurrentRate:F1}");
        if (Environment.GetEnvironmentVariable("REPRISE_SIM_TRACE") == "1")
        {
            simulation.Trace.ForEach(_output.WriteLine);
        }

        Assert.True(throughput >= minimumShare * rate, $"served {throughput:F1}/s, want at least {minimumShare * rate:F1}/s");
        Assert.True(throttledShare < 0.1, $"429s were {throttledShare:P2} of requests");
    }
}
