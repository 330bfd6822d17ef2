using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;

// Without a --job argument every benchmark runs one short job (1 launch, 3 warm-ups, 10 iterations): BenchmarkDotNet's
// ShortRun with 10 iterations instead of 3, whose error bars were wider than the differences on a 2-core machine.
// The whole suite then takes about five minutes; pass --job default for the long, tighter measurement.
var config = args.Contains("--job", StringComparer.OrdinalIgnoreCase)
    ? DefaultConfig.Instance
    : DefaultConfig.Instance.AddJob(Job.ShortRun.WithIterationCount(10).WithId("Short10"));
BenchmarkSwitcher.FromAssembly(typeof(Reprise.Benchmarks.ClientKind).Assembly).Run(args, config);
