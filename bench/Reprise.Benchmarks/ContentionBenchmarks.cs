using BenchmarkDotNet.Attributes;

namespace Reprise.Benchmarks;

/// <summary>
/// Many requests to one host at once: the inner handler completes asynchronously, so the requests run on the
/// thread pool (both cores) and meet in whatever per-host or per-pipeline state the handler shares.
/// Reported per request.
/// </summary>
public class ContentionBenchmarks : HandlerBenchmarks
{
    private const int Concurrent = 64;

    protected override bool InnerYields => true;

    [Benchmark(OperationsPerInvoke = Concurrent)]
    public Task SendConcurrently()
    {
        var tasks = new Task[Concurrent];
        for (var i = 0; i < tasks.Length; i++)
        {
            tasks[i] = Task.Run(() => SendOneAsync(failures: 0));
        }

        return Task.WhenAll(tasks);
    }
}
