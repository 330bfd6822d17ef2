using Reprise.Hosts;
using StackExchange.Redis;

namespace Reprise.Redis.Tests;

/// <summary>Which process's rate paces every process (the lead), as the lease script decides it.</summary>
public sealed class SharedRateLeadTests(RedisServers servers) : IClassFixture<RedisServers>
{
    private const string Host = "http://api.example:8080";

    public static TheoryData<string> Kinds => RedisServers.Kinds;

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task TryTakeToken_SecondLoweringWithinTheSettlingTime_FollowsTheFirst(string kind)
    {
        var server = servers.Get(kind);
        await SharedRegistries.RunAsync(() => new SharedRegistries(server, 2), async shared =>
        {
            using var reader = server.Connect();
            var (a, b) = (shared.States[0], shared.States[1]);

            // Both send at 200/s; a is throttled and lowers to 100/s: it leads.
            await TakeAsync(shared, a, 200);
            await TakeAsync(shared, b, 200);
            a.Report(Host, Throttled);
            await TakeAsync(shared, a, 100);
            Assert.Equal(10, await LeadIntervalAsync(reader, shared));

            // 0.5 s later b is throttled too (by the same congestion) and lowers to 50/s: it follows a's 100/s.
            shared.Time.Advance(TimeSpan.FromMilliseconds(500));
            b.Report(Host, Throttled);
            await TakeAsync(shared, b, 50);
            Assert.Equal(10, await LeadIntervalAsync(reader, shared));
        });
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task TryTakeToken_LoweringAfterTheSettlingTime_LeadsWithItsRate(string kind)
    {
        var server = servers.Get(kind);
        await SharedRegistries.RunAsync(() => new SharedRegistries(server, 2), async shared =>
        {
            using var reader = server.Connect();
            var (a, b) = (shared.States[0], shared.States[1]);
            await TakeAsync(shared, a, 200);
            await TakeAsync(shared, b, 200);
            a.Report(Host, Throttled);
            await TakeAsync(shared, a, 100);

            // a keeps leading (its lease renews the lead within the lead time); b's lowering comes after the settling time.
            shared.Time.Advance(TimeSpan.FromMilliseconds(900));
            await TakeAsync(shared, a, 100);
            shared.Time.Advance(TimeSpan.FromMilliseconds(200));
            b.Report(Host, Throttled);
            await TakeAsync(shared, b, 50);
            Assert.Equal(20, await LeadIntervalAsync(reader, shared));
        });
    }

    private static SharedHostReport Throttled => new(SharedHostOutcome.Throttled, null, null);

    private static async Task TakeAsync(SharedRegistries shared, RedisHostState state, double rate)
    {
        state.TryTakeToken(Host, rate, out _);
        await shared.SettleAsync();
    }

    private static async Task<double> LeadIntervalAsync(IConnectionMultiplexer reader, SharedRegistries shared)
    {
        string? lead = await reader.GetDatabase().StringGetAsync($"{shared.Prefix}:{{{Host}}}:lead");
        Assert.NotNull(lead);
        return double.Parse(lead.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
    }
}
