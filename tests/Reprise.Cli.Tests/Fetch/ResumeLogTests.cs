using Reprise.Cli.Fetch;
using Reprise.Cli.Tests.TestSupport;

namespace Reprise.Cli.Tests.Fetch;

public class ResumeLogTests
{
    private const string LineA = """{"url":"http://h/a","ok":true,"outcome":"succeeded","status":200,"attempts":1,"elapsed_ms":3,"bytes":10,"error":null,"body_path":null}""";
    private const string LineB = """{"url":"http://h/b","ok":false,"outcome":"failed","status":404,"attempts":1,"elapsed_ms":3,"bytes":0,"error":"404","body_path":null}""";

    [Fact]
    public void Load_MissingFile_IsEmpty()
    {
        using var temp = new TempDirectory();

        var log = ResumeLog.Load(temp.File("none.jsonl"));

        Assert.Equal(0, log.Lines);
        Assert.False(log.TryConsume("http://h/a"));
        Assert.False(File.Exists(temp.File("none.jsonl")));
    }

    [Fact]
    public void Load_TornLastLine_IsCutOffTheFileAndSkipsNothing()
    {
        using var temp = new TempDirectory();
        var path = temp.File("results.jsonl");
        var torn = LineB[..40];
        File.WriteAllText(path, LineA + "\n" + torn);

        var log = ResumeLog.Load(path);

        Assert.Equal(1, log.Lines);
        Assert.Equal(torn.Length, log.TornBytesDropped);
        Assert.Equal(LineA + "\n", File.ReadAllText(path));
        Assert.True(log.TryConsume("http://h/a"));
        Assert.False(log.TryConsume("http://h/b"));
    }

    [Fact]
    public void Load_OnlyATornLine_EmptiesTheFile()
    {
        using var temp = new TempDirectory();
        var path = temp.File("results.jsonl");
        File.WriteAllText(path, LineA[..17]);

        var log = ResumeLog.Load(path);

        Assert.Equal(0, log.Lines);
        Assert.Equal(0, new FileInfo(path).Length);
    }

    [Fact]
    public void TryConsume_UrlTwiceInTheFile_SkipsTwoInputOccurrences()
    {
        using var temp = new TempDirectory();
        var path = temp.File("results.jsonl");
        File.WriteAllText(path, LineA + "\n" + LineA + "\n" + LineB + "\n");

        var log = ResumeLog.Load(path);

        Assert.Equal(3, log.Lines);
        Assert.Equal(0, log.TornBytesDropped);
        Assert.True(log.TryConsume("http://h/a"));
        Assert.True(log.TryConsume("http://h/a"));
        Assert.False(log.TryConsume("http://h/a"));
    }

    [Fact]
    public void Load_UnreadableCompleteLine_IsCountedAndKept()
    {
        using var temp = new TempDirectory();
        var path = temp.File("results.jsonl");
        File.WriteAllText(path, "not json\n" + LineB + "\n");

        var log = ResumeLog.Load(path);

        Assert.Equal(2, log.Lines);
        Assert.Equal(1, log.UnreadableLines);
        Assert.True(log.TryConsume("http://h/b"));
    }
}
