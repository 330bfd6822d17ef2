using Reprise.Hosts;

namespace Reprise.Redis.Tests;

/// <summary>Redis stopping mid-run: requests never fail, the registries go on locally, and rejoin with what they learned.</summary>
public sealed class RedisFailureTests
{
    private static readonly Uri Host = new("http://api.example:8080/items/1");

    [Fact]
    public async Task AcquireAsync_RedisStoppedMidRun_NoRequestLostAndPauseMergedOnRejoin()
    {
        using var server = new GarnetFixture();
        await SharedRegistries.RunAsync(() => new SharedRegistries(server, 2, redis: r => (r.OperationTimeout, r.RejoinInterval) = (TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(50))), async shared =>
        {
            var (a, b) = (shared.Registries[0], shared.Registries[1]);
            int completed = 0;
            async Task RunAsync(int count)
            {
                for (int i = 0; i < count; i++)
                {
                    foreach (var registry in shared.Registries)
                    {
                        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                        using var permit = await registry.GetState(Host).AcquireAsync(isRetry: false, cts.Token);
                        Assert.True(permit.IsAcquired);
                        permit.Complete(HostSignal.Accepted, null);
                        completed++;
                    }

                    shared.Time.Advance(TimeSpan.FromMilliseconds(100));
                    await shared.SettleAsync();
                }
            }

            await RunAsync(20);
            server.Stop();
            await RunAsync(20);
            Assert.True(shared.States.All(s => !s.IsConnected && s.Fallbacks > 0), string.Join(", ", shared.States.Select(s => $"{s.IsConnected} {s.Fallbacks} {s.RoundTrips}")));

            // Learned alone while Redis is down: registry A is told to pause for a minute. B cannot know yet.
            using (var throttled = a.GetState(Host).TryAcquire(isRetry: false))
            {
                throttled.Complete(HostSignal.Throttled, TimeSpan.FromSeconds(60));
            }

            using (var alone = b.GetState(Host).TryAcquire(isRetry: false))
            {
                Assert.True(alone.IsAcquired);
                alone.Complete(HostSignal.Accepted, null);
            }

            server.Start();

            // Both rejoin (a ping every rejoin interval), A merges its pause, and B's next read sees it.
            Assert.True(await shared.EventuallyAsync(() =>
            {
                shared.Time.Advance(TimeSpan.FromMilliseconds(20));
                return Refused(a) == HostDenialReason.HostPaused && Refused(b) == HostDenialReason.HostPaused && shared.States.All(s => s.IsConnected);
            }), string.Join(", ", shared.States.Select(s => $"{s.IsConnected} {s.Fallbacks} {s.RoundTrips}")) + $" a: {Refused(a)} b: {Refused(b)}");
            Assert.Equal(80, completed);
        }, againWhenFellBack: false);
    }

    private static HostDenialReason? Refused(HostRegistry registry)
    {
        using var permit = registry.GetState(Host).TryAcquire(isRetry: false);
        if (permit.IsAcquired)
        {
            permit.Complete(HostSignal.Cancelled, null);
            return null;
        }

        return permit.DenialReason;
    }
}
