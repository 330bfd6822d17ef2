using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Reprise.ScaleOut;

/// <summary>One <c>reprise fetch</c> process (the Release build of src/Reprise.Cli) over a file of URLs; its results read back.</summary>
internal static partial class FetchProcess
{
    /// <summary>The longest one process may run; a capped run counts what it wrote.</summary>
    public static readonly TimeSpan Cap = TimeSpan.FromSeconds(150);

    public static async Task<FetchOutcome> RunAsync(string cli, IReadOnlyList<string> urls, string? redis, CancellationToken cancellationToken, string deadline = "2m")
    {
        var directory = Directory.CreateTempSubdirectory("reprise-scaleout-");
        try
        {
            var input = Path.Combine(directory.FullName, "urls.txt");
            var output = Path.Combine(directory.FullName, "results.jsonl");
            await File.WriteAllLinesAsync(input, urls, cancellationToken);
            var start = new ProcessStartInfo { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            if (cli.EndsWith(".dll", StringComparison.Ordinal))
            {
                start.FileName = "dotnet";
                start.ArgumentList.Add(cli);
            }
            else
            {
                start.FileName = cli;
            }

            foreach (var arg in (string[])["fetch", input, "--out", output, "--deadline", deadline])
            {
                start.ArgumentList.Add(arg);
            }

            if (redis is not null)
            {
                start.ArgumentList.Add("--redis");
                start.ArgumentList.Add(redis);
            }

            var watch = Stopwatch.StartNew();
            using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start reprise.");
            var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
            _ = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
            var capped = false;
            using (var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                limit.CancelAfter(Cap);
                try
                {
                    await process.WaitForExitAsync(limit.Token);
                }
                catch (OperationCanceledException)
                {
                    process.Kill(entireProcessTree: true); // Our own child, by its handle.
                    await process.WaitForExitAsync(CancellationToken.None);
                    cancellationToken.ThrowIfCancellationRequested();
                    capped = true; // Counted with the results it had written.
                }
            }

            watch.Stop();
            var errors = await stderr;
            long ok = 0, attempts = 0, results = 0;
            foreach (var line in File.ReadLines(output))
            {
                using var json = JsonDocument.Parse(line);
                results++;
                ok += json.RootElement.GetProperty("ok").GetBoolean() ? 1 : 0;
                attempts += json.RootElement.GetProperty("attempts").GetInt64();
            }

            var trips = RoundTrips().Match(errors);
            var rate = OwnRate().Match(errors);
            return new FetchOutcome(
                results, ok, attempts, watch.Elapsed,
                trips.Success ? long.Parse(trips.Groups[1].Value, CultureInfo.InvariantCulture) : null,
                rate.Success ? double.Parse(rate.Groups[1].Value, CultureInfo.InvariantCulture) : double.NaN,
                errors,
                capped);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [GeneratedRegex(@"redis: (\d+) round trip")]
    private static partial Regex RoundTrips();

    // The summary's own rate: from the first URL read to the last result, so without start-up and connecting.
    [GeneratedRegex(@"URL\(s\) in [^(]+\((\d+)/s\)")]
    private static partial Regex OwnRate();
}

/// <summary>What one fetch process did: its results, attempts, wall time (start-up included), Redis round trips, and its own rate.</summary>
internal sealed record FetchOutcome(long Results, long Ok, long Attempts, TimeSpan Wall, long? RoundTrips, double OwnRate, string Stderr, bool Capped);
