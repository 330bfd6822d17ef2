using Reprise.Cli.Parsing;

namespace Reprise.Cli.Tests.Parsing;

public class HeaderParserTests
{
    [Theory]
    [InlineData("Accept: text/plain", "Accept", "text/plain")]
    [InlineData("X-Token:abc:def", "X-Token", "abc:def")]
    [InlineData("  X-Empty:  ", "X-Empty", "")]
    public void TryParse_NameColonValue_SplitsAtTheFirstColon(string text, string name, string value)
    {
        Assert.True(HeaderParser.TryParse(text, out var header, out var error), error);
        Assert.Equal(name, header.Key);
        Assert.Equal(value, header.Value);
    }

    [Theory]
    [InlineData("NoColon", "a header must be written 'Name: value'.")]
    [InlineData(": value", "a header must be written 'Name: value'.")]
    [InlineData("Bad Name: secret", "'Bad Name' is not a valid header name.")]
    public void TryParse_Malformed_FailsWithoutEchoingTheValue(string text, string expected)
    {
        Assert.False(HeaderParser.TryParse(text, out _, out var error));
        Assert.Equal(expected, error);
        Assert.DoesNotContain("secret", error, StringComparison.Ordinal);
    }
}
