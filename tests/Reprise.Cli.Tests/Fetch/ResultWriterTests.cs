using System.Text;
using System.Text.Json;
using Reprise.Cli.Fetch;

namespace Reprise.Cli.Tests.Fetch;

public class ResultWriterTests
{
    [Fact]
    public async Task WriteAsync_Line_IsOneSnakeCaseJsonObjectWithNullErrorAndNoNullId()
    {
        using var stream = new MemoryStream();
        await using (var writer = new ResultWriter(stream, ownsStream: false))
        {
            await writer.WriteAsync(new FetchResultLine
            {
                Url = "http://h/a?x=1&y=2", Ok = true, Outcome = FetchOutcomes.Succeeded, Status = 200, Stop = StopNames.FinalStatus,
                Attempts = 2, ElapsedMs = 12, Bytes = 99, Error = null, BodyPath = null,
            });
        }

        var text = Encoding.UTF8.GetString(stream.ToArray());
        Assert.Equal(
            """{"url":"http://h/a?x=1&y=2","ok":true,"outcome":"succeeded","status":200,"stop":"final_status","attempts":2,"elapsed_ms":12,"bytes":99,"error":null,"body_path":null}""" + "\n",
            text);
    }

    [Fact]
    public async Task WriteAsync_HostileText_StaysOneValidLine()
    {
        using var stream = new MemoryStream();
        await using (var writer = new ResultWriter(stream, ownsStream: false))
        {
            await writer.WriteAsync(new FetchResultLine { Url = "x\"\n{}\u2028", Id = "a\tb", Outcome = FetchOutcomes.InvalidInput, Error = "bad\r\nline" });
        }

        var text = Encoding.UTF8.GetString(stream.ToArray());
        var line = Assert.Single(text.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        using var json = JsonDocument.Parse(line);
        Assert.Equal("x\"\n{}\u2028", json.RootElement.GetProperty("url").GetString());
        Assert.Equal("a\tb", json.RootElement.GetProperty("id").GetString());
    }
}
