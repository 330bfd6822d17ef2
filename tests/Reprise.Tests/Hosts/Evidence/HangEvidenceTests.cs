using Reprise.Hosts.Evidence;

namespace Reprise.Tests.Hosts.Evidence;

public sealed class HangEvidenceTests
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    [Theory]
    [InlineData(10, 250)] // a fast host: at least 250 ms
    [InlineData(100, 400)] // four times the usual latency
    [InlineData(500, 2_000)]
    public void HungAfter_UsualLatencyKnown_IsFourTimesItAtLeast250Ms(int usualMs, int expectedMs)
        => Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), HangEvidence.HungAfter(TimeSpan.FromMilliseconds(usualMs)));

    [Fact]
    public void HungAfter_UsualLatencyUnknown_NothingCountsAsHung() => Assert.Null(HangEvidence.HungAfter(null));

    [Theory]
    [InlineData(5, 6, 1_000, true)] // a later request was accepted, in flight long enough
    [InlineData(5, 6, 999, false)] // not long enough yet
    [InlineData(5, 5, 5_000, false)] // nothing granted after it was accepted: the host may be the trouble
    [InlineData(5, 4, 5_000, false)]
    public void Hangs_LaterAcceptedAndLongEnough_OnlyThenIsTheUrlsOwn(long sequence, long lastAccepted, int inFlightMs, bool hangs)
        => Assert.Equal(hangs, HangEvidence.Hangs(TimeSpan.Zero, sequence, TimeSpan.FromMilliseconds(inFlightMs), Second, lastAccepted));
}
