using System.Globalization;
using Reprise.Chaos.Faults;
using Reprise.Chaos.Hosting;

namespace Reprise.Chaos.Configuration;

/// <summary>Checks chaos options; the first error throws, naming the field by its JSON path.</summary>
internal static class ChaosOptionsValidator
{
    public static void Validate(ChaosOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Hosts is null || options.Hosts.Count == 0)
        {
            throw Error("hosts must name at least one host.");
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        var ports = new HashSet<int>();
        for (var i = 0; i < options.Hosts.Count; i++)
        {
            var host = options.Hosts[i] ?? throw Error($"hosts[{i}] must not be null.");
            var at = $"hosts[{i}]";
            if (string.IsNullOrWhiteSpace(host.Name))
            {
                throw Error($"{at}.name must not be empty.");
            }

            if (!names.Add(host.Name))
            {
                throw Error($"{at}.name '{host.Name}' is used by another host.");
            }

            Range($"{at}.port", host.Port, 0, 65535);
            if (host.Port != 0 && !ports.Add(host.Port))
            {
                throw Error($"{at}.port {host.Port} is used by another host.");
            }

            ValidateHost(host, at);
        }
    }

    private static void ValidateHost(ChaosHostOptions host, string at)
    {
        if (host.Routes is null)
        {
            throw Error($"{at}.routes must not be null.");
        }

        var paths = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var j = 0; j < host.Routes.Count; j++)
        {
            var route = host.Routes[j] ?? throw Error($"{at}.routes[{j}] must not be null.");
            var routeAt = $"{at}.routes[{j}]";
            ValidateRoute(route, routeAt);
            if (!paths.Add(route.Path.TrimEnd('/')))
            {
                throw Error($"{routeAt}.path '{route.Path}' is served by another route of the host.");
            }
        }

        ValidateRateLimit(host.RateLimit, $"{at}.rateLimit");
        ValidateOutage(host.Outage, $"{at}.outage");
        ValidateCapacity(host.Capacity, $"{at}.capacity");
    }

    private static void ValidateCapacity(ChaosCapacityOptions? capacity, string at)
    {
        if (capacity is null)
        {
            return;
        }

        AtLeast($"{at}.limit", capacity.Limit, 1);
        AtLeast($"{at}.serviceMs", capacity.ServiceMs, 0);
        Status($"{at}.status", capacity.Status);
        if (capacity.RetryAfterSeconds is { } seconds)
        {
            AtLeast($"{at}.retryAfterSeconds", seconds, 0);
        }
    }

    private static void ValidateRoute(ChaosRouteOptions route, string at)
    {
        if (string.IsNullOrEmpty(route.Path) || route.Path[0] != '/')
        {
            throw Error($"{at}.path must start with '/'; it was '{route.Path}'.");
        }

        if (route.Path.StartsWith(ChaosControl.Prefix, StringComparison.OrdinalIgnoreCase))
        {
            throw Error($"{at}.path must not be under {ChaosControl.Prefix}, which serves the statistics.");
        }

        Status($"{at}.status", route.Status);
        Status($"{at}.failureStatus", route.FailureStatus);
        if (route.Sequence is not null && !OutcomeSequence.TryParse(route.Sequence, out _, out var bad))
        {
            throw Error($"{at}.sequence entry '{bad}' is not a status (100-599), 'reset', 'hang' or 'cut'.");
        }

        Range($"{at}.failureProbability", route.FailureProbability, 0, 1);
        Range($"{at}.failingKeyFraction", route.FailingKeyFraction, 0, 1);
        AtLeast($"{at}.failingKeyAttempts", route.FailingKeyAttempts, 1);
        AtLeast($"{at}.latencyMs", route.LatencyMs, 0);
        if (route.LatencyMaxMs is { } max)
        {
            AtLeast($"{at}.latencyMaxMs", max, route.LatencyMs);
        }

        AtLeast($"{at}.hangFirst", route.HangFirst, 0);
        AtLeast($"{at}.trickleBytesPerSecond", route.TrickleBytesPerSecond, 0);
        Range($"{at}.bodySize", route.BodySize, 0, ChaosDefaults.MaxBodySize);
        if (route.Reset && route.CutShort)
        {
            throw Error($"{at}.reset and {at}.cutShort cannot both be true.");
        }

        if (route.RetryAfter is { } retryAfter)
        {
            AtLeast($"{at}.retryAfter.seconds", retryAfter.Seconds, 0);
            if (retryAfter.Statuses is null)
            {
                throw Error($"{at}.retryAfter.statuses must not be null.");
            }

            for (var k = 0; k < retryAfter.Statuses.Count; k++)
            {
                Status($"{at}.retryAfter.statuses[{k}]", retryAfter.Statuses[k]);
            }
        }

        ValidateRateLimit(route.RateLimit, $"{at}.rateLimit");
        ValidateOutage(route.Outage, $"{at}.outage");
    }

    private static void ValidateRateLimit(ChaosRateLimitOptions? rateLimit, string at)
    {
        if (rateLimit is null)
        {
            return;
        }

        if (!(rateLimit.RequestsPerSecond > 0) || double.IsInfinity(rateLimit.RequestsPerSecond))
        {
            throw Error($"{at}.requestsPerSecond must be more than 0; it was {Format(rateLimit.RequestsPerSecond)}.");
        }

        AtLeast($"{at}.burst", rateLimit.Burst, 1);
    }

    private static void ValidateOutage(ChaosOutageOptions? outage, string at)
    {
        if (outage is null)
        {
            return;
        }

        AtLeast($"{at}.durationMs", outage.DurationMs, 1);
        Status($"{at}.status", outage.Status);
        if (outage.RetryAfterSeconds is { } seconds)
        {
            AtLeast($"{at}.retryAfterSeconds", seconds, 0);
        }
    }

    private static void AtLeast(string field, double value, double min)
    {
        if (!(value >= min))
        {
            throw Error($"{field} must be at least {Format(min)}; it was {Format(value)}.");
        }
    }

    private static void Status(string field, int value) => Range(field, value, 100, 599);

    private static void Range(string field, double value, double min, double max)
    {
        if (!(value >= min && value <= max))
        {
            throw Error($"{field} must be between {Format(min)} and {Format(max)}; it was {Format(value)}.");
        }
    }

    private static string Format(double value) => value.ToString(CultureInfo.InvariantCulture);

    private static ChaosOptionsException Error(string message) => new(message);
}
