using BenchmarkDotNet.Attributes;

namespace Reprise.Benchmarks;

/// <summary>
/// A request answered 503, then 200, with every wait set to zero: the cost of classifying a failure, discarding
/// its response and sending again. For the "no handler" row the 503 is the answer, so it sends once.
/// </summary>
public class OneRetryBenchmarks : HandlerBenchmarks
{
    [Benchmark]
    public async Task SendRetried()
    {
        if (Client == ClientKind.None)
        {
            // Nothing retries: one 503 and one 200, to show the in-memory handler's cost of two attempts.
            using var failed = new HttpRequestMessage(HttpMethod.Get, Target);
            failed.Options.Set(InMemoryHandler.FailuresKey, new InMemoryHandler.FailureBudget(1));
            (await Invoker.SendAsync(failed, CancellationToken.None)).Dispose();
            await SendOneAsync(failures: 0);
            return;
        }

        await SendOneAsync(failures: 1);
    }
}
