namespace Reprise.Tests;

public class ReadmeTests
{
    [Fact]
    public void QuickStart_ReadmeHandlerExample_IsTheSampleThatBuilds()
    {
        var root = RepositoryRoot();
        var readme = File.ReadAllText(Path.Combine(root, "README.md")).ReplaceLineEndings("\n");
        var sample = File.ReadAllText(Path.Combine(root, "samples", "QuickStart", "Program.cs")).ReplaceLineEndings("\n");

        var section = readme[readme.IndexOf("## Quick start: the handler", StringComparison.Ordinal)..];
        var start = section.IndexOf("```csharp\n", StringComparison.Ordinal) + "```csharp\n".Length;
        var code = section[start..section.IndexOf("```\n", start, StringComparison.Ordinal)];

        Assert.True(code.Length > 200, "the README lost its quick start");
        Assert.Contains(code, sample, StringComparison.Ordinal);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Reprise.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Reprise.slnx not found above the test binaries.");
    }
}
