using Reprise.Hosts;
using Xunit.Abstractions;

namespace Reprise.Tests.Hosts;

public sealed class RateLimitSimulationTests
{
    private readonly ITestOutputHelper _output;

    public RateLimitSimulationTests(ITestOutputHelper output) => _output = output;

    // Each 429 carries Retry-After: 1 (whole seconds), so every probe above the limit costs a one-second pause of the
    // host. The target (>= 0.9 R after the first seconds, < 10% 429s) holds when the server allows a burst;
    // with a burst of one request any excursion above R is punished at once, which the last rows pin down honestly.
    // The warm-up rows prime the measurement with requests the limit did not apply to (as a benchmark's warm-up
    // does): a maximum read off that must not hold the rate above the limit.
    [Theory]
    [InlineData(200, 20, 50, 0, 0.9)]
    [InlineData(200, 20, 50, 100, 0.9)]
    [InlineData(20, 20, 8, 0, 0.9)]
    [InlineData(100, 100, 64, 0, 0.9)]
    [InlineData(100, 10, 16, 0, 0.9)]
    [InlineData(500, 50, 64, 0, 0.9)]
    [InlineData(500, 50, 64, 1000, 0.9)]
    [InlineData(100, 1, 16, 0, 0.8)]
    [InlineData(20, 1, 8, 0, 0.75)]
    public void TryAcquire_ServerLimitedToRatePerSecond_ServesNearTheLimitWithFew429(double rate, double burst, int workers, int warmUp, double minimumShare)
    {
        var measureFrom = TimeSpan.FromSeconds(10);
        var duration = TimeSpan.FromSeconds(70);
        var simulation = new RateLimitedHostSimulation(rate, burst, workers, TimeSpan.FromMilliseconds(1), measureFrom) { WarmUp = warmUp };

        simulation.Run(duration);

        double seconds = (duration - measureFrom).TotalSeconds;
        double throughput = simulation.Accepted / seconds;
        double throttledShare = (double)simulation.Throttled / simulation.Sent;
        _output.WriteLine($"R={rate} burst={burst} workers={workers} warm-up={warmUp}: served {throughput:F1}/s ({throughput / rate:P1}), 429s {throttledShare:P2} of {simulation.Sent}, rate now {simulation.State.RateLimiter?.CurrentRate:F1}");
        if (Environment.GetEnvironmentVariable("REPRISE_SIM_TRACE") == "1")
        {
            simulation.Trace.ForEach(_output.WriteLine);
        }

        Assert.True(throughput >= minimumShare * rate, $"served {throughput:F1}/s, want at least {minimumShare * rate:F1}/s");
        Assert.True(throttledShare < 0.1, $"429s were {throttledShare:P2} of requests");
    }
}
