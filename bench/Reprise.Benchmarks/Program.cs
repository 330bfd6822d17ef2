using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;

// Without a --job argument every benchmark runs BenchmarkDotNet's ShortRun job (3 warm-ups, 3 iterations),
// so that the whole suite fits in a few minutes; pass --job default for the long, tighter measurement.
var config = args.Contains("--job", StringComparer.OrdinalIgnoreCase)
    ? DefaultConfig.Instance
    : DefaultConfig.Instance.AddJob(Job.ShortRun);
BenchmarkSwitcher.FromAssembly(typeof(Reprise.Benchmarks.ClientKind).Assembly).Run(args, config);
