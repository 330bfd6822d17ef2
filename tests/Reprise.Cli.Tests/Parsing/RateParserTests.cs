using Reprise.Cli.Parsing;

namespace Reprise.Cli.Tests.Parsing;

public class RateParserTests
{
    [Theory]
    [InlineData("50/s", 50.0)]
    [InlineData("50", 50.0)]
    [InlineData("3000/m", 50.0)]
    [InlineData("360/h", 0.1)]
    [InlineData("0.5/s", 0.5)]
    public void TryParse_Rate_GivesRequestsPerSecond(string text, double expected)
    {
        Assert.True(RateParser.TryParse(text, out var rate, out _));
        Assert.Equal(expected, rate, precision: 6);
    }

    [Theory]
    [InlineData("")]
    [InlineData("0/s")]
    [InlineData("-5/s")]
    [InlineData("50/d")]
    [InlineData("fast")]
    [InlineData("2000000/s")]
    public void TryParse_NotARate_FailsWithTheForms(string text)
    {
        Assert.False(RateParser.TryParse(text, out _, out var error));
        Assert.Equal($"'{text}' is not a rate: use requests per second, minute or hour (50/s, 3000/m, 100/h), from 0.001/s to 1000000/s.", error);
    }
}
