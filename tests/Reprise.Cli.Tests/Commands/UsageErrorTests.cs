using Reprise.Cli.Tests.TestSupport;

namespace Reprise.Cli.Tests.Commands;

/// <summary>A bad command line fails at start, before any request: exit code 2 and one line naming the culprit.</summary>
public class UsageErrorTests
{
    [Theory]
    [InlineData("get http://127.0.0.1:1/ --max-attempts 0", "--max-attempts must be a whole number from 1 to 100; it was '0'.")]
    [InlineData("get http://127.0.0.1:1/ --max-attempts abc", "--max-attempts must be a whole number from 1 to 100; it was 'abc'.")]
    [InlineData("get http://127.0.0.1:1/ --deadline 5q", "--deadline: '5q' is not a duration")]
    [InlineData("get http://127.0.0.1:1/ --deadline 0", "--deadline must be more than 0 (or infinite); it was '0'.")]
    [InlineData("get http://127.0.0.1:1/ --attempt-timeout -1s", "--attempt-timeout: '-1s' is not a duration")]
    [InlineData("get http://127.0.0.1:1/ --retry-on 99", "--retry-on: '99' is not a status code from 100 to 999")]
    [InlineData("get http://127.0.0.1:1/ -H NoColon", "--header: a header must be written 'Name: value'.")]
    [InlineData("get http://127.0.0.1:1/ -X 'GE T'", "--method: ")]
    [InlineData("get http://127.0.0.1:1/ --bogus", "'--bogus'")]
    [InlineData("get notaurl", "'notaurl' is not an absolute http or https URL.")]
    [InlineData("get ftp://example.com/x", "'ftp://example.com/x' is not an absolute http or https URL.")]
    [InlineData("get", "Required argument missing")]
    [InlineData("serve --port 70000", "--port must be a whole number from 0 to 65535; it was '70000'.")]
    [InlineData("nosuchcommand", "'nosuchcommand'")]
    public async Task Invoke_BadCommandLine_ExitsWithUsageErrorNamingTheCulprit(string commandLine, string expected)
    {
        var result = await CliRun.RunAsync(Split(commandLine));

        Assert.Equal(ExitCode.UsageError, result.ExitCode);
        var line = Assert.Single(result.StderrLines);
        Assert.StartsWith("reprise: ", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.Empty(result.Stdout);
    }

    [Fact]
    public async Task Invoke_NoCommand_ExitsWithUsageError()
    {
        var result = await CliRun.RunAsync();

        Assert.Equal(ExitCode.UsageError, result.ExitCode);
        Assert.Single(result.StderrLines);
    }

    [Fact]
    public async Task Invoke_Help_ExitsWithSuccessAndListsTheCommands()
    {
        var result = await CliRun.RunAsync("--help");

        Assert.Equal(ExitCode.Success, result.ExitCode);
        Assert.Contains("get", result.StdoutText, StringComparison.Ordinal);
        Assert.Contains("serve", result.StdoutText, StringComparison.Ordinal);
    }

    // Splits like a shell for these simple lines: spaces separate, single quotes group.
    private static string[] Split(string commandLine)
    {
        var parts = new List<string>();
        var current = new System.Text.StringBuilder();
        var quoted = false;
        foreach (var c in commandLine)
        {
            if (c == '\'')
            {
                quoted = !quoted;
            }
            else if (c == ' ' && !quoted)
            {
                if (current.Length > 0)
                {
                    parts.Add(current.ToString());
                    current.Clear();
                }
            }
            else
            {
                current.Append(c);
            }
        }

        if (current.Length > 0)
        {
            parts.Add(current.ToString());
        }

        return [.. parts];
    }
}
