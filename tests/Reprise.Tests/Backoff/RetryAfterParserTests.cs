using System.Net.Http.Headers;
using Reprise.Backoff;

namespace Reprise.Tests.Backoff;

public class RetryAfterParserTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("2", null, 2.0)] // delta-seconds
    [InlineData("0", null, 0.0)]
    [InlineData("120", null, 120.0)]
    [InlineData("Sun, 29 Nov 2026 12:00:05 GMT", "Sun, 29 Nov 2026 12:00:00 GMT", 6.0)] // date against Date, plus its 1 s resolution
    [InlineData("Sun, 29 Nov 2026 12:00:05 GMT", "Sun, 29 Nov 2026 11:59:50 GMT", 16.0)] // the server's clock, not ours
    [InlineData("Sun, 29 Nov 2026 12:00:03 GMT", null, 4.0)] // no Date: against the local clock
    [InlineData("Sun, 29 Nov 2026 11:59:00 GMT", null, null)] // past date: fall back to backoff
    [InlineData("Sun, 29 Nov 2026 12:00:00 GMT", "Sun, 29 Nov 2026 12:00:00 GMT", null)] // now: fall back to backoff
    [InlineData("soon", null, null)] // garbage
    [InlineData("-5", null, null)] // negative
    [InlineData("1.5", null, null)] // not an integer
    [InlineData("99999999999999999999999", null, null)] // overflows
    [InlineData("", null, null)]
    public void Parse_HeaderValue_GivesTheServersWaitOrNull(string retryAfter, string? date, double? expectedSeconds)
    {
        using var response = new HttpResponseMessage();
        response.Headers.TryAddWithoutValidation("Retry-After", retryAfter);
        if (date is not null)
        {
            response.Headers.TryAddWithoutValidation("Date", date);
        }

        var wait = RetryAfterParser.Parse(response.Headers, Now);

        Assert.Equal(expectedSeconds is { } s ? TimeSpan.FromSeconds(s) : null, wait);
    }

    [Fact]
    public void Parse_HugeButValidDelta_IsReturnedForTheCallerToCap()
    {
        using var response = new HttpResponseMessage();
        response.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(999_999_999));

        Assert.Equal(TimeSpan.FromSeconds(999_999_999), RetryAfterParser.Parse(response.Headers, Now));
    }

    [Fact]
    public void Parse_MalformedDateHeader_UsesTheLocalClock()
    {
        using var response = new HttpResponseMessage();
        response.Headers.TryAddWithoutValidation("Retry-After", "Sun, 29 Nov 2026 12:00:10 GMT");
        response.Headers.TryAddWithoutValidation("Date", "yesterday-ish");

        Assert.Equal(TimeSpan.FromSeconds(11), RetryAfterParser.Parse(response.Headers, Now));
    }
}
