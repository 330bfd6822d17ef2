using Reprise.Bulk;
using Reprise.Hosts;

namespace Reprise.Tests.Bulk;

public class HostWaitMessagesTests
{
    [Theory]
    [InlineData((int)HostDenialReason.HostPaused, "The host h:1 asked to wait 1.5 s (Retry-After).")]
    [InlineData((int)HostDenialReason.CircuitOpen, "Reprise's circuit breaker for h:1 is open; its next probe is in 1.5 s.")]
    [InlineData((int)HostDenialReason.RetryBudgetExhausted, "Reprise's retry budget for h:1 held the retry back for 1.5 s.")]
    [InlineData((int)HostDenialReason.RateLimit, "Reprise's rate limit for h:1 allowed the next request in 1.5 s.")]
    [InlineData((int)HostDenialReason.ConcurrencyLimit, "h:1 was at its limit of requests in flight; the next slot was 1.5 s away at best.")]
    public void Describe_Reason_NamesWhoseWaitItIs(int reason, string expected)
        => Assert.Equal(expected, HostWaitMessages.Describe("h:1", TimeSpan.FromSeconds(1.5), (HostDenialReason)reason));
}
