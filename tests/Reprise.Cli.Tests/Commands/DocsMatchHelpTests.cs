using System.CommandLine;
using System.CommandLine.Help;
using System.Text.RegularExpressions;
using Reprise.Cli.Commands;
using Reprise.Cli.Console;
using Reprise.Cli.Tests.TestSupport;

namespace Reprise.Cli.Tests.Commands;

/// <summary>docs/cli.md and <c>--help</c> agree on every option's name and default.</summary>
public partial class DocsMatchHelpTests
{
    public static TheoryData<string, string> Options()
    {
        var data = new TheoryData<string, string>();
        var root = CliApp.CreateRootCommand(new CliConsole(Stream.Null, TextWriter.Null, () => Stream.Null));
        foreach (var command in root.Subcommands)
        {
            foreach (var option in command.Options.Where(static o => o is not HelpOption and not VersionOption))
            {
                data.Add(command.Name, option.Name);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Options))]
    public async Task Docs_EveryOption_IsDocumentedWithTheDefaultHelpShows(string command, string option)
    {
        var docs = await File.ReadAllTextAsync(Path.Join(RepositoryRoot(), "docs", "cli.md"));
        var help = (await CliRun.RunAsync(command, "--help")).StdoutText;

        var text = DocumentedText(docs, command, option);
        Assert.True(text is not null, $"docs/cli.md does not document {option} of 'reprise {command}'.");
        var helpLine = help.Split('\n').First(l => Regex.IsMatch(l, $@"^\s+(-\S+, )?{Regex.Escape(option)}(?![\w-])"));
        var defaultMatch = DefaultPattern().Match(helpLine);
        if (defaultMatch.Success && defaultMatch.Groups[1].Value != "none")
        {
            var value = defaultMatch.Groups[1].Value.Replace(RequestDefaults.Version, "<version>", StringComparison.Ordinal);
            Assert.True(
                text.Replace("`", string.Empty, StringComparison.Ordinal).Contains($"default {value}", StringComparison.Ordinal),
                $"docs/cli.md gives {option} of 'reprise {command}' no 'default {value}' (as --help does): {text}");
        }
    }

    /// <summary>The table row, or the sentence, of the command's section that documents the option; "as for get" follows to get's row.</summary>
    private static string? DocumentedText(string docs, string command, string option)
    {
        var section = Section(docs, command);
        var name = new Regex($@"(?<![\w-]){Regex.Escape(option)}(?![\w-])");
        foreach (var line in section.Split('\n'))
        {
            var cells = line.Split('|');
            if (line.StartsWith('|') && cells.Length > 2 && name.IsMatch(cells[1]))
            {
                return cells[2].Contains("as for `get`", StringComparison.Ordinal) && command != "get" ? DocumentedText(docs, "get", option) : line;
            }
        }

        // In prose, after the heading (which lists the options without their defaults).
        var match = name.Match(section, section.IndexOf('\n', StringComparison.Ordinal) + 1);
        return match.Success ? section.Substring(match.Index, Math.Min(240, section.Length - match.Index)) : null;
    }

    private static string Section(string docs, string command)
    {
        var start = docs.IndexOf($"## `reprise {command}", StringComparison.Ordinal);
        Assert.True(start >= 0, $"docs/cli.md has no section for 'reprise {command}'.");
        var end = docs.IndexOf("\n## ", start + 3, StringComparison.Ordinal);
        return end < 0 ? docs[start..] : docs[start..end];
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Join(directory.FullName, "Reprise.slnx")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("The repository root was not found.");
    }

    [GeneratedRegex(@"\[default: ([^\]]+)\]")]
    private static partial Regex DefaultPattern();
}
