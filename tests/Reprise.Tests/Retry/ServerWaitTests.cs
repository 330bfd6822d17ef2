using Reprise.Retry;

namespace Reprise.Tests.Retry;

public sealed class ServerWaitTests
{
    // Limits in seconds; -1 stands for a limit the caller does not own (ServerWait.NoLimit); host -1 for "no wait for the host".
    [Theory]
    [InlineData(null, 60, 60, false, -1)] // asked for nothing
    [InlineData(0.0, 60, 60, false, -1)] // asked for no wait: nothing for the host
    [InlineData(5.0, 60, 60, false, 5)] // used as asked
    [InlineData(60.0, 60, 60, false, 60)] // at the limit: still used
    [InlineData(90.0, 60, 60, true, 60)] // above MaxRetryAfter: the request ends, the host pauses for the cap
    [InlineData(45.0, 60, 30, false, 30)] // above MaxPause only: the request waits, the host pause is capped
    [InlineData(90.0, 120, 30, false, 30)]
    [InlineData(90.0, 60, -1, true, 60)] // the request's side alone (RetryPolicy)
    [InlineData(90.0, -1, 30, false, 30)] // the host's side alone (HostPause, CircuitController)
    [InlineData(5.0, 0, 60, true, -1)] // a zero cap leaves no wait for the host
    public void Of_AskedWait_EndsTheRequestAndCapsForTheHostAsTheTableSays(double? askedSeconds, double maxRetryAfterSeconds, double maxPauseSeconds, bool endsRequest, double hostSeconds)
    {
        var ruling = ServerWait.Of(
            askedSeconds is { } asked ? TimeSpan.FromSeconds(asked) : null, Limit(maxRetryAfterSeconds), Limit(maxPauseSeconds));

        Assert.Equal(endsRequest, ruling.EndsRequest);
        Assert.Equal(hostSeconds < 0 ? null : TimeSpan.FromSeconds(hostSeconds), ruling.ForHost);
    }

    private static TimeSpan Limit(double seconds) => seconds < 0 ? ServerWait.NoLimit : TimeSpan.FromSeconds(seconds);
}
