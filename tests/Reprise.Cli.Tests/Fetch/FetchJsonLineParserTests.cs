using System.Text;
using Reprise.Cli.Fetch;

namespace Reprise.Cli.Tests.Fetch;

public class FetchJsonLineParserTests
{
    [Fact]
    public void Parse_FullObject_GivesEveryField()
    {
        var line = FetchInputReader.Parse(
            7, """  {"url":"http://h/items","method":"post","headers":{"Idempotency-Key":"k-1","X-Tag":"a"},"body":"{\"n\":1}","content_type":"application/json","id":42}""");

        Assert.NotNull(line);
        Assert.Null(line.Error);
        Assert.Equal(("http://h/items", "42", "POST", "application/json"), (line.Url, line.Id, line.Method, line.ContentType));
        Assert.Equal([new("Idempotency-Key", "k-1"), new("X-Tag", "a")], line.Headers!);
        Assert.Equal("{\"n\":1}", Encoding.UTF8.GetString(line.Body!.Value.Span));
    }

    [Fact]
    public void Parse_BodyBase64_GivesTheExactBytes()
    {
        var line = FetchInputReader.Parse(1, """{"url":"http://h/b","body_base64":"AAEC/w=="}""");

        Assert.Equal(new byte[] { 0, 1, 2, 255 }, line!.Body!.Value.ToArray());
        Assert.Null(line.Method);
    }

    [Theory]
    [InlineData("""{"url":"http://h/a","header":{}}""", "http://h/a", "line 3 has an unknown field \"header\" (known: url, id, method, headers, body, body_base64, content_type).")]
    [InlineData("""{"url":"http://h/a","body":"x","body_base64":"eA=="}""", "http://h/a", "line 3 gives both \"body\" and \"body_base64\"; give one.")]
    [InlineData("""{"url":"http://h/a","body_base64":"%%"}""", "http://h/a", "line 3 has a \"body_base64\" that is not base64.")]
    [InlineData("""{"url":"http://h/a","content_type":"text/plain"}""", "http://h/a", "line 3 gives \"content_type\" without a body.")]
    [InlineData("""{"url":"http://h/a","method":"GET /x"}""", "http://h/a", "line 3 has \"method\": \"GET /x\", which is not an HTTP method.")]
    [InlineData("""{"url":"http://h/a","headers":{"X-A":1}}""", "http://h/a", "line 3 has a header \"X-A\" whose value is not a string.")]
    [InlineData("""{"url":"http://h/a","headers":["X-A: 1"]}""", "http://h/a", "line 3 has \"headers\" that are not an object of names and values.")]
    [InlineData("""{"url":"http://h/a","url":"http://h/b"}""", "http://h/a", "line 3 gives \"url\" twice.")]
    [InlineData("""{"url":7}""", "(line 3)", "line 3 has a \"url\" that is not a string.")]
    [InlineData("""{"id":"x"}""", "(line 3)", "line 3 has no \"url\".")]
    [InlineData("""{"url":"not a url"}""", "not a url", "line 3: 'not a url' is not an absolute http or https URL.")]
    public void Parse_BadObject_IsInvalidWithAnErrorNamingTheField(string text, string key, string error)
    {
        var line = FetchInputReader.Parse(3, text);

        Assert.Equal((key, error), (line!.Url, line.Error));
    }

    [Theory]
    [InlineData("{\"url\":")]
    [InlineData("{not json}")]
    public void Parse_NotJson_IsInvalid(string text)
    {
        var line = FetchInputReader.Parse(3, text);

        Assert.Equal("(line 3)", line!.Url);
        Assert.StartsWith("line 3 is not valid JSON: ", line.Error, StringComparison.Ordinal);
    }
}
