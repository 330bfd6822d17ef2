using System.Globalization;
using Reprise.Hosts;

namespace Reprise.Bulk;

/// <summary>
/// Says why a request would have had to wait for its host, in a request's error. Only a pause the server asked for is
/// the host asking: the breaker, the retry budget and the limits are Reprise's own, and are named as such.
/// </summary>
internal static class HostWaitMessages
{
    public static string Describe(string authority, TimeSpan wait, HostDenialReason reason)
    {
        var seconds = wait.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
        return reason switch
        {
            HostDenialReason.HostPaused => $"The host {authority} asked to wait {seconds} s (Retry-After).",
            HostDenialReason.CircuitOpen => $"Reprise's circuit breaker for {authority} is open; its next probe is in {seconds} s.",
            HostDenialReason.RetryBudgetExhausted => $"Reprise's retry budget for {authority} held the retry back for {seconds} s.",
            HostDenialReason.ConcurrencyLimit => $"{authority} was at its limit of requests in flight; the next slot was {seconds} s away at best.",
            HostDenialReason.RateLimit => $"Reprise's rate limit for {authority} allowed the next request in {seconds} s.",
            _ => $"The request would have waited {seconds} s for {authority}.",
        };
    }
}
