using Reprise.Cli.Fetch;

namespace Reprise.Cli.Tests.Fetch;

public class FetchInputReaderTests
{
    [Fact]
    public async Task ReadAsync_SkipsBlankAndCommentLines_KeepsLineNumbersAndIds()
    {
        var input = new StringReader("http://h/a\n\n   \n# a comment\n  http://h/b   item-2  \nnot a url\r\nhttp://h/c\tid 3\n");

        var lines = new List<FetchInputLine>();
        await foreach (var line in FetchInputReader.ReadAsync(input))
        {
            lines.Add(line);
        }

        Assert.Equal(
            [
                new FetchInputLine(1, "http://h/a", null),
                new FetchInputLine(5, "http://h/b", "item-2"),
                new FetchInputLine(6, "not", "a url"),
                new FetchInputLine(7, "http://h/c", "id 3"),
            ],
            lines);
    }
}
