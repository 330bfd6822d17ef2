using Reprise.Retry;

namespace Reprise.Tests.Retry;

public class StatusCodeSetTests
{
    [Theory]
    [InlineData(408, true)]
    [InlineData(429, true)]
    [InlineData(500, true)]
    [InlineData(502, true)]
    [InlineData(503, true)]
    [InlineData(504, true)]
    [InlineData(200, false)]
    [InlineData(400, false)]
    [InlineData(401, false)]
    [InlineData(403, false)]
    [InlineData(404, false)]
    [InlineData(501, false)]
    [InlineData(505, false)]
    public void Default_Status_IsRetriedOnlyWhenListed(int status, bool expected)
        => Assert.Equal(expected, StatusCodeSet.Default.Contains(status));

    [Theory]
    [InlineData("429,500-504", "429,500-504", 6)]
    [InlineData(" 503 , 429 ", "429,503", 2)]
    [InlineData("500-502,501-503", "500-503", 4)]
    [InlineData("", "", 0)]
    [InlineData("100-999", "100-999", 900)]
    public void Parse_ValidList_IsCanonical(string text, string canonical, int count)
    {
        var set = StatusCodeSet.Parse(text);

        Assert.Equal(canonical, set.ToString());
        Assert.Equal(count, set.Count);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("99")]
    [InlineData("1000")]
    [InlineData("504-500")]
    [InlineData("500-")]
    [InlineData("-5")]
    [InlineData("5xx")]
    public void Parse_InvalidEntry_ThrowsNamingTheEntry(string text)
    {
        var error = Assert.Throws<FormatException>(() => StatusCodeSet.Parse(text));

        Assert.Contains($"'{text.Trim()}'", error.Message, StringComparison.Ordinal);
        Assert.False(StatusCodeSet.TryParse(text, out _));
    }

    [Fact]
    public void Contains_OutOfRangeCode_IsFalse()
    {
        Assert.False(StatusCodeSet.Default.Contains(-1));
        Assert.False(StatusCodeSet.Default.Contains(1024));
        Assert.False(StatusCodeSet.Default.Contains(int.MaxValue));
    }

    [Fact]
    public void Equals_SameCodesWrittenDifferently_AreEqual()
    {
        Assert.Equal(StatusCodeSet.Parse("502,503,504,500"), StatusCodeSet.Parse("500,502-504"));
        Assert.Equal(StatusCodeSet.From(429, 503), StatusCodeSet.Parse("503,429"));
        Assert.NotEqual(StatusCodeSet.Default, StatusCodeSet.Empty);
    }
}
