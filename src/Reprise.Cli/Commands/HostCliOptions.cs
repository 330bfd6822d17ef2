using System.CommandLine;
using Reprise.Cli.Parsing;
using Reprise.Hosts;

namespace Reprise.Cli.Commands;

/// <summary><c>fetch</c>'s switches of host coordination: all of it, the circuit breaker, and a fixed rate per host.</summary>
internal sealed class HostCliOptions
{
    public Option<bool> NoCoordination { get; } = new("--no-coordination")
    {
        Description = "Turn host coordination off: no shared pause, retry throttling, breaker, adaptive limit or rate; --per-host stays a fixed cap.",
    };

    public Option<bool> NoCircuitBreaker { get; } = new("--no-circuit-breaker")
    {
        Description = "Turn the circuit breaker off: a host that fails everything is still tried at the retries' pace.",
    };

    public Option<double?> Rate { get; } = new("--rate")
    {
        Description = "A fixed rate per host, such as 50/s, 3000/m or 100/h [default: none]; the adaptive rate still slows it on throttles.",
        HelpName = "rate",
        CustomParser = static result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : string.Empty;
            if (!RateParser.TryParse(text, out var rate, out var error))
            {
                result.AddError($"--rate: {error}");
                return null;
            }

            return rate;
        },
    };

    public void AddTo(Command command)
    {
        command.Options.Add(NoCoordination);
        command.Options.Add(NoCircuitBreaker);
        command.Options.Add(Rate);
    }

    /// <summary>Builds the host registry's options; <paramref name="perHost"/> caps each host's requests in flight.</summary>
    public HostCoordinationOptions Create(ParseResult parseResult, int perHost)
    {
        var options = parseResult.GetValue(NoCoordination) ? HostCoordinationOptions.Disabled : new HostCoordinationOptions();
        options.MaxConcurrency = perHost;
        options.MinConcurrency = Math.Min(options.MinConcurrency, perHost);
        if (parseResult.GetValue(NoCircuitBreaker))
        {
            options.CircuitBreakerEnabled = false;
        }

        if (parseResult.GetValue(Rate) is { } rate)
        {
            options.RateLimit = rate;
        }

        return options;
    }
}
