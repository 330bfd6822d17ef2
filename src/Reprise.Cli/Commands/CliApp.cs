using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using Reprise.Cli.Console;

namespace Reprise.Cli.Commands;

/// <summary>Builds the <c>reprise</c> command tree and runs one command line against a console.</summary>
internal static class CliApp
{
    public static Command CreateRootCommand(CliConsole console)
    {
        // A plain command named 'reprise' rather than RootCommand, whose name is the executable's (Reprise.Cli).
        var root = new Command("reprise", "HTTP requests that succeed despite transient failures, one or a million, polite to every host.")
        {
            new HelpOption(),
            new VersionOption(),
            GetCommand.Create(console),
            FetchCommand.Create(console),
            ServeCommand.Create(console),
            DemoCommand.Create(console),
        };
        return root;
    }

    /// <summary>Parses <paramref name="args"/> and runs the command; a parse error is one line on stderr and exit code 2.</summary>
    public static async Task<int> InvokeAsync(string[] args, CliConsole console, CancellationToken cancellationToken)
    {
        var root = CreateRootCommand(console);
        // No response files: '@file' is curl's syntax for -d, and must reach the option as written.
        var parseResult = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (parseResult.Action is ParseErrorAction || (parseResult.Errors.Count > 0 && parseResult.Action is null))
        {
            // For 'reprise typo', "Required command was not provided" comes first; the unrecognized token says more.
            var error = parseResult.UnmatchedTokens.Count > 0
                ? $"Unrecognized command or argument '{parseResult.UnmatchedTokens[0]}'."
                : parseResult.Errors.Count > 0 ? parseResult.Errors[0].Message : "a command is required.";
            console.WriteError($"{error} (see 'reprise {CommandPath(parseResult)}--help')");
            return (int)ExitCode.UsageError;
        }

        var configuration = new InvocationConfiguration
        {
            Output = new StreamWriter(console.Output, leaveOpen: true) { AutoFlush = true },
            Error = console.Error,

            // Ctrl-C is turned into the cancellation token by the caller (Program), so tests can cancel the same way.
            ProcessTerminationTimeout = null,

            // Errors are one line, never a stack trace: the catch below reports what escapes a command.
            EnableDefaultExceptionHandler = false,
        };
        try
        {
            return await parseResult.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            console.WriteError("interrupted.");
            return (int)ExitCode.Interrupted;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A failure no command expected: still one line, with the type so that it can be looked into.
            console.WriteError($"unexpected error: {ex.GetType().Name}: {ex.Message.ReplaceLineEndings(" ")}");
            return (int)ExitCode.SomeFailed;
        }
    }

    private static string CommandPath(ParseResult parseResult)
    {
        var command = parseResult.CommandResult.Command;
        return command.Parents.Any() ? $"{command.Name} " : string.Empty;
    }
}
