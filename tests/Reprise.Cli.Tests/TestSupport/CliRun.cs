using System.Text;
using Reprise.Cli.Commands;
using Reprise.Cli.Console;

namespace Reprise.Cli.Tests.TestSupport;

/// <summary>Runs one <c>reprise</c> command line in-process against captured streams.</summary>
internal static class CliRun
{
    public static async Task<CliResult> RunAsync(
        string[] args, string? stdin = null, CancellationToken cancellationToken = default, Stream? output = null, Func<Stream>? input = null, TextWriter? error = null)
    {
        var stdout = output ?? new MemoryStream();
        var stderr = error ?? new StringWriter();
        var console = new CliConsole(stdout, stderr, input ?? (() => new MemoryStream(Encoding.UTF8.GetBytes(stdin ?? string.Empty))));
        var code = await CliApp.InvokeAsync(args, console, cancellationToken);
        var bytes = stdout is MemoryStream memory ? memory.ToArray() : [];
        return new CliResult((ExitCode)code, bytes, stderr.ToString() ?? string.Empty);
    }

    public static Task<CliResult> RunAsync(params string[] args) => RunAsync(args, stdin: null);
}

internal sealed record CliResult(ExitCode ExitCode, byte[] Stdout, string Stderr)
{
    public string StdoutText => Encoding.UTF8.GetString(Stdout);

    public string[] StderrLines => Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
