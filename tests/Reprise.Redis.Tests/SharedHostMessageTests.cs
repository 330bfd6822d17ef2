namespace Reprise.Redis.Tests;

/// <summary>The change channel's messages and how a view takes them in.</summary>
public sealed class SharedHostMessageTests
{
    private const string Host = "http://api.example:8080";

    public static TheoryData<string, char, long, long> Messages => new()
    {
        { SharedHostMessage.Pause(Host, 1_700_000_000_123), 'p', 1_700_000_000_123, 0 },
        { SharedHostMessage.Open(Host, 1_700_000_000_456, 2000), 'o', 1_700_000_000_456, 2000 },
        { SharedHostMessage.Close(Host), 'c', 0, 0 },
    };

    [Theory]
    [MemberData(nameof(Messages))]
    public void TryParse_WrittenMessage_ReadsBackKindTimesAndHost(string message, char kind, long until, long interval)
    {
        Assert.True(SharedHostMessage.TryParse(message, out char k, out long u, out long i, out var host));
        Assert.Equal((kind, until, interval, Host), (k, u, i, host));
    }

    [Fact]
    public void TryParse_HostWithSpaces_KeepsTheRestAsTheHost()
    {
        Assert.True(SharedHostMessage.TryParse("p 5 0 a host with spaces", out _, out _, out _, out var host));
        Assert.Equal("a host with spaces", host);
    }

    [Theory]
    [InlineData("")]
    [InlineData("p 5 0")]
    [InlineData("px 5 0 h")]
    [InlineData("p five 0 h")]
    [InlineData("p 5 zero h")]
    public void TryParse_Malformed_False(string message) => Assert.False(SharedHostMessage.TryParse(message, out _, out _, out _, out _));

    [Fact]
    public void Apply_Pauses_TheLaterEndWins()
    {
        var view = new SharedHostView(Host);

        SharedHostMessage.Apply(view, 'p', 2000, 0);
        SharedHostMessage.Apply(view, 'p', 1500, 0);

        Assert.Equal(2000, view.PausedUntil);
    }

    [Fact]
    public void Apply_OpenThenClose_ClosesAndDropsThisProcesssProbe()
    {
        var view = new SharedHostView(Host);
        SharedHostMessage.Apply(view, 'o', 5000, 1000);
        Assert.Equal((5000L, 1000L), (view.CircuitOpenUntil, view.CircuitIntervalMs));
        view.HoldsProbe = true;
        view.ProbeSentAt = 4000;

        SharedHostMessage.Apply(view, 'c', 0, 0);

        Assert.Equal((0L, 0L, false, 0L), (view.CircuitOpenUntil, view.CircuitIntervalMs, view.HoldsProbe, view.ProbeSentAt));
    }

    [Theory]
    [InlineData(false, 0L)]
    [InlineData(true, 5000L)]
    public void ApplyCircuit_KeyGone_ClosedUnlessThisProcessHoldsTheProbe(bool holdsProbe, long expected)
    {
        // The probe's holder learns its own outcome first; a read that raced it must not close its circuit.
        var view = new SharedHostView(Host) { CircuitOpenUntil = 5000, HoldsProbe = holdsProbe };

        SharedHostMessage.ApplyCircuit(view, string.Empty);

        Assert.Equal(expected, view.CircuitOpenUntil);
    }

    [Fact]
    public void ApplyCircuit_Value_ReadsNextProbeTimeAndInterval()
    {
        var view = new SharedHostView(Host);

        SharedHostMessage.ApplyCircuit(view, "123456 4000");

        Assert.Equal((123456L, 4000L), (view.CircuitOpenUntil, view.CircuitIntervalMs));
    }

    [Theory]
    [InlineData(null, 0L)]
    [InlineData("", 0L)]
    [InlineData("42", 42L)]
    [InlineData("42 7", 42L)]
    [InlineData("abc 7", 0L)]
    public void FirstNumber_KeyValue_FirstNumberOrZero(string? value, long expected) => Assert.Equal(expected, SharedHostMessage.FirstNumber(value));
}
