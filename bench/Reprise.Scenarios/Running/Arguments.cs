namespace Reprise.Scenarios.Running;

/// <summary>The parsed command line.</summary>
internal sealed class Arguments
{
    public const string Usage = """
        Usage: Reprise.Scenarios [--quick] [--table no-regret] [--out DIR] [--scenarios a,b] [--clients a,b]

          --quick       a small version of every scenario (under two minutes); the CI smoke test
          --out DIR     where results.md and results.json go (default: bench/results under the repository)
          --table       no-regret: only the no-regret table's rows and clients (issue 12)
          --scenarios   only these scenarios (default: all)
          --clients     only these clients (default: all)

        Exit code 0 when every client ran and every URL got a result, 1 otherwise, 2 on a bad command line.
        """;

    public bool Quick { get; private set; }

    public string? OutputDirectory { get; private set; }

    public IReadOnlyList<string>? Scenarios { get; private set; }

    public IReadOnlyList<string>? Clients { get; private set; }

    /// <summary>Gets whether only the no-regret table runs (<c>--table no-regret</c>).</summary>
    public bool NoRegretTable { get; private set; }

    public bool Help { get; private set; }

    /// <summary>Gets whether this process is a child that runs one client (internal; started by the parent).</summary>
    public bool Child { get; private set; }

    public string? ChildScenario { get; private set; }

    public string? ChildClient { get; private set; }

    public Uri? ChildBaseAddress { get; private set; }

    /// <summary>Parses <paramref name="args"/>; the error is one line naming the bad argument.</summary>
    public static bool TryParse(string[] args, out Arguments arguments, out string? error)
    {
        arguments = new Arguments();
        error = null;
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            switch (arg)
            {
                case "--quick":
                    arguments.Quick = true;
                    break;
                case "-h" or "--help":
                    arguments.Help = true;
                    break;
                case "--child":
                    arguments.Child = true;
                    break;
                case "--table":
                    if (i + 1 >= args.Length || args[i + 1] != "no-regret")
                    {
                        error = "--table must be 'no-regret'.";
                        return false;
                    }

                    arguments.NoRegretTable = true;
                    i++;
                    break;
                case "--out" or "--scenarios" or "--clients" or "--scenario" or "--client" or "--base":
                    if (i + 1 >= args.Length || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                    {
                        error = $"{arg} needs a value.";
                        return false;
                    }

                    var value = args[++i];
                    switch (arg)
                    {
                        case "--out":
                            arguments.OutputDirectory = value;
                            break;
                        case "--scenarios":
                            arguments.Scenarios = SplitList(value);
                            break;
                        case "--clients":
                            arguments.Clients = SplitList(value);
                            break;
                        case "--scenario":
                            arguments.ChildScenario = value;
                            break;
                        case "--client":
                            arguments.ChildClient = value;
                            break;
                        default:
                            if (!Uri.TryCreate(value, UriKind.Absolute, out var baseAddress))
                            {
                                error = $"--base must be an absolute URL; it was '{value}'.";
                                return false;
                            }

                            arguments.ChildBaseAddress = baseAddress;
                            break;
                    }

                    break;
                default:
                    error = $"Unknown argument '{arg}'.";
                    return false;
            }
        }

        if (arguments.Child && (arguments.ChildScenario is null || arguments.ChildClient is null || arguments.ChildBaseAddress is null))
        {
            error = "--child needs --scenario, --client and --base.";
            return false;
        }

        return true;
    }

    private static string[] SplitList(string value)
        => value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
