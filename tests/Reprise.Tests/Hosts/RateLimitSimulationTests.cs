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

    // The bench's rate-limited row (issue 12's gain target): 3,000 URLs against 200/s with a burst of 20, through the
    // bulk engine's scheduler with each URL's key, so the evidence takes the throttles as a rate limit and paces the host
    // without pausing it. URLs / R is 15 s; the target is 1.15 x that with 429s under 2% of the requests. The refused
    // request's wake-ups are exact, or as coarse as the timers of Linux (4 ms) and Windows (15.6 ms): a bucket of one
    // token lost what accrued while the timer was late, and the host was sent 125/s whenever the rate was 125-200/s.
    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    [InlineData(15.6)]
    public void TryAcquire_BulkRunAgainstTokenBucket_FinishesWithin115PercentOfUrlsOverRate(double timerGranularityMs)
    {
        var simulation = new RateLimitedRunSimulation(200, 20, urls: 3_000, concurrency: 50, TimeSpan.FromMilliseconds(2), TimeSpan.FromMilliseconds(timerGranularityMs))
            .Run(TimeSpan.FromSeconds(60));

        double throttledShare = (double)simulation.Throttles / simulation.Requests;
        _output.WriteLine($"{simulation.Succeeded} ok in {simulation.Wall.TotalSeconds:F2} s ({simulation.Wall.TotalSeconds / 15:F3} x URLs/R), {simulation.Requests} requests, 429s {throttledShare:P2}");
        if (Environment.GetEnvironmentVariable("REPRISE_SIM_TRACE") == "1")
        {
            simulation.Trace.ForEach(_output.WriteLine);
        }

        Assert.Equal(3_000, simulation.Succeeded);
        Assert.True(simulation.Wall <= TimeSpan.FromSeconds(15 * 1.15), $"done at {simulation.Wall}");
        Assert.True(throttledShare < 0.02, $"429s were {throttledShare:P2} of requests");
    }
}
