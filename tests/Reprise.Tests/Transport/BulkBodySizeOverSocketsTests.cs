using Reprise.Bulk;
using Reprise.Chaos;
using Reprise.Chaos.Configuration;
using Reprise.Retry;

namespace Reprise.Tests.Transport;

/// <summary>The bulk engine's body size limit in every body mode, against a compressed bomb over real sockets.</summary>
public class BulkBodySizeOverSocketsTests
{
    [Theory]
    [InlineData(BulkBodyHandling.Discard)]
    [InlineData(BulkBodyHandling.Memory)]
    [InlineData(BulkBodyHandling.Sink)]
    public async Task RunAsync_BodyPastMaxBodySize_FailsAsBodyTooLargeWithoutRetryingInEveryMode(BulkBodyHandling mode)
    {
        await using var server = await ChaosServer.StartAsync(new ChaosHostOptions
        {
            Routes = { new ChaosRouteOptions { Gzip = true, BodySize = 8 * 1024 * 1024 } },
        });
        var sink = new RecordingSink();
        using var engine = new BulkEngine(new BulkOptions
        {
            BodyHandling = mode,
            MaxBodySize = 1024 * 1024,
            MaxBodyInMemory = 16 * 1024 * 1024,
            BodySink = mode == BulkBodyHandling.Sink ? sink : null,
        });

        var results = new List<BulkResult>();
        await foreach (var result in engine.RunAsync(Urls(server.GetUri("/bomb").AbsoluteUri)))
        {
            results.Add(result);
        }

        var only = Assert.Single(results);
        Assert.Equal(BulkOutcome.Failed, only.Outcome);
        Assert.Equal(RetryStopReason.BodyTooLarge, only.StopReason);
        Assert.Equal("The body is larger than MaxBodySize (1048576 bytes).", only.Error);
        Assert.Equal(1, only.Attempts);
        Assert.InRange(only.Bytes, 1, 1024 * 1024 + (64 * 1024));
        Assert.Null(only.Body);
        Assert.Equal(mode == BulkBodyHandling.Sink ? [false] : [], sink.Completions);
    }

    private static async IAsyncEnumerable<BulkRequest> Urls(string url)
    {
        await Task.Yield();
        yield return new BulkRequest(url);
    }

    private sealed class RecordingSink : IBulkBodySink
    {
        public List<bool> Completions { get; } = [];

        public Stream? Open(BulkRequest request, HttpResponseMessage response, out string? path)
        {
            path = "memory";
            return new MemoryStream();
        }

        public async ValueTask CompleteAsync(Stream stream, bool complete)
        {
            lock (Completions)
            {
                Completions.Add(complete);
            }

            await stream.DisposeAsync();
        }
    }
}
