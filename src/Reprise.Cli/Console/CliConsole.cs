using Reprise.Cli.Output;
using Spectre.Console;

namespace Reprise.Cli.Console;

/// <summary>
/// The streams a command uses, injectable so that commands run in-process in tests: data goes to
/// <see cref="Output"/> (binary-safe), messages to <see cref="Error"/>, and the live display and tables to
/// <see cref="Terminal"/> when stderr is a terminal.
/// </summary>
internal sealed class CliConsole
{
    public CliConsole(Stream output, TextWriter error, Func<Stream> openInput, IAnsiConsole? terminal = null, bool outputIsTerminal = false)
    {
        OutputIsTerminal = outputIsTerminal;
        Output = output;

        // Text on stderr may quote a server (a status line, an error, a Location): control characters are escaped.
        Error = error as ControlEscapingWriter ?? new ControlEscapingWriter(error);
        OpenInput = openInput;
        Terminal = terminal;
    }

    /// <summary>Gets standard output: the data (a body, JSON lines). Written as bytes so bodies pass unchanged.</summary>
    public Stream Output { get; }

    /// <summary>Gets standard error as text: errors, <c>-v</c> lines, the plain progress and summary; control characters are escaped.</summary>
    public TextWriter Error { get; }

    /// <summary>Gets whether stdout is a terminal: then data written there would tear a live display on stderr.</summary>
    public bool OutputIsTerminal { get; }

    /// <summary>Gets the function that opens standard input (for <c>fetch -</c> and <c>-d @-</c>).</summary>
    public Func<Stream> OpenInput { get; }

    /// <summary>Gets the console for the live display and tables, or null when stderr is not a terminal.</summary>
    public IAnsiConsole? Terminal { get; }

    /// <summary>Creates the console of the process: stdout, stderr and stdin, with Spectre on stderr when it is a terminal.</summary>
    public static CliConsole CreateSystem()
    {
        var error = System.Console.Error;
        IAnsiConsole? terminal = null;
        if (!System.Console.IsErrorRedirected)
        {
            terminal = AnsiConsole.Create(new AnsiConsoleSettings
            {
                Out = new AnsiConsoleOutput(error),
                Ansi = AnsiSupport.Detect,
                ColorSystem = ColorSystemSupport.Detect,
                Interactive = InteractionSupport.Detect,
            });
        }

        return new CliConsole(System.Console.OpenStandardOutput(), error, System.Console.OpenStandardInput, terminal, !System.Console.IsOutputRedirected);
    }

    /// <summary>Writes one error line, prefixed with the tool's name, on stderr.</summary>
    public void WriteError(string message) => Error.WriteLine($"reprise: {message}");
}
