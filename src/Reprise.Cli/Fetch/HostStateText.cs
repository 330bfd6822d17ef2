using System.Globalization;
using Reprise.Cli.Parsing;
using Reprise.Hosts;

namespace Reprise.Cli.Fetch;

/// <summary>
/// What holds a host back right now, in words, for the live view and the progress lines. A pause that is the
/// circuit breaker's (Reprise's own, waiting for its next probe) is never called a pause the server asked for.
/// </summary>
internal static class HostStateText
{
    public static IReadOnlyList<string> Describe(HostSnapshot host, DateTimeOffset now, int perHost)
    {
        var parts = new List<string>(4);
        var pauseLeft = host.PausedUntil is { } until && until > now ? until - now : (TimeSpan?)null;
        switch (host.CircuitState)
        {
            case HostCircuitState.Open:
                parts.Add(pauseLeft is { } probe
                    ? $"circuit breaker open (Reprise's), next probe in {DurationParser.Format(Round(probe))}"
                    : "circuit breaker open (Reprise's)");
                break;
            case HostCircuitState.HalfOpen:
                parts.Add("probing after an outage");
                break;
            default:
                if (pauseLeft is { } left)
                {
                    parts.Add($"paused {DurationParser.Format(Round(left))} (Retry-After)");
                }

                break;
        }

        if (host.RetryRejectProbability > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"retries held back {host.RetryRejectProbability * 100:0}%"));
        }

        if (host.Rate is { } rate)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"throttled to {rate:0.#}/s"));
        }

        if (host.InFlight >= host.ConcurrencyLimit && pauseLeft is null)
        {
            parts.Add(host.ConcurrencyLimit >= perHost
                ? string.Create(CultureInfo.InvariantCulture, $"at --per-host {perHost}")
                : string.Create(CultureInfo.InvariantCulture, $"in-flight limit {host.ConcurrencyLimit}"));
        }

        return parts;
    }

    private static TimeSpan Round(TimeSpan value) => TimeSpan.FromMilliseconds(Math.Round(value.TotalMilliseconds / 100) * 100);
}
