using Reprise.Cli.Parsing;

namespace Reprise.Cli.Tests.Parsing;

public class DurationParserTests
{
    [Theory]
    [InlineData("1.5", 1500)]
    [InlineData("0.25", 250)]
    [InlineData("2", 2000)]
    [InlineData("500ms", 500)]
    [InlineData("500MS", 500)]
    [InlineData("2s", 2000)]
    [InlineData("1.5s", 1500)]
    [InlineData("1m", 60_000)]
    [InlineData("1h", 3_600_000)]
    [InlineData(" 3s ", 3000)]
    [InlineData("0", 0)]
    [InlineData("24h", 86_400_000)]
    public void TryParse_ValidDuration_ReturnsMilliseconds(string text, long expectedMs)
    {
        Assert.True(DurationParser.TryParse(text, out var value, out var error), error);
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), value);
    }

    [Fact]
    public void TryParse_Infinite_ReturnsInfiniteTimeSpan()
    {
        Assert.True(DurationParser.TryParse("infinite", out var value, out _));
        Assert.Equal(Timeout.InfiniteTimeSpan, value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("s")]
    [InlineData("ms")]
    [InlineData("-1")]
    [InlineData("-1s")]
    [InlineData("1e3")]
    [InlineData("abc")]
    [InlineData("5q")]
    [InlineData("1 s")]
    [InlineData("NaN")]
    [InlineData("1,5")]
    [InlineData("25h")]
    [InlineData("2d")]
    public void TryParse_InvalidDuration_FailsWithMessage(string text)
    {
        Assert.False(DurationParser.TryParse(text, out _, out var error));
        Assert.Equal($"'{text}' is not a duration: use seconds (1.5) or a unit (500ms, 2s, 1m, 1h), at most 1 day.", error);
    }

    [Theory]
    [InlineData(250, "250ms")]
    [InlineData(1500, "1.5s")]
    [InlineData(90_000, "1.5m")]
    public void Format_Duration_UsesTheLargestFittingUnit(long ms, string expected)
        => Assert.Equal(expected, DurationParser.Format(TimeSpan.FromMilliseconds(ms)));
}
