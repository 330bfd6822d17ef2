using System.CommandLine;
using Reprise.Cli.Console;
using Reprise.Cli.Serve;

namespace Reprise.Cli.Commands;

/// <summary><c>reprise serve [--config &lt;chaos.json&gt;] [--port &lt;n&gt;]</c>: runs the chaos server until Ctrl-C.</summary>
internal static class ServeCommand
{
    public static Command Create(CliConsole console)
    {
        var config = new Option<string?>("--config", "-c")
        {
            Description = "A chaos server JSON file (docs/chaos.md); without it, the demo's five hosts.",
            HelpName = "chaos.json",
        };
        var port = RetryCliOptions.IntOption("--port", "Port of the first host; host i listens on port + i (0: free ports).", 0, 0, 65535);

        var command = new Command("serve", "Run the chaos server on 127.0.0.1 until Ctrl-C, printing each host's address on stdout.")
        {
            config,
            port,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
            (int)await new ServeRunner(console).RunAsync(parseResult.GetValue(config), parseResult.GetValue(port), cancellationToken).ConfigureAwait(false));
        return command;
    }
}
