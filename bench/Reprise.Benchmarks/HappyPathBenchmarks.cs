using BenchmarkDotNet.Attributes;

namespace Reprise.Benchmarks;

/// <summary>A request answered 200 at once: the handler's fixed cost per request.</summary>
public class HappyPathBenchmarks : HandlerBenchmarks
{
    [Benchmark]
    public Task Send() => SendOneAsync(failures: 0);
}
