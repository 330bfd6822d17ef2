using Microsoft.Extensions.Time.Testing;
using Reprise.Chaos;
using Reprise.Chaos.Configuration;
using Reprise.Cli.Console;
using Reprise.Cli.Fetch;
using Reprise.Cli.Tests.TestSupport;

namespace Reprise.Cli.Tests.Fetch;

public class FetchHostIsolationTests
{
    [Fact]
    public async Task Fetch_PausedHost_DoesNotDelayOtherHostsUrls()
    {
        // The client's clock is fake: host "paused" stays paused by its Retry-After until the test moves time on,
        // so the order of the results proves the other host went on meanwhile, with no timing in the test.
        await using var server = await ChaosServer.StartAsync(new ChaosOptions
        {
            Hosts =
            {
                new ChaosHostOptions
                {
                    Name = "paused",
                    Routes = { new ChaosRouteOptions { Path = "/p", Sequence = "503,200", RetryAfter = new ChaosRetryAfterOptions { Seconds = 30, Statuses = { 503 } } } },
                },
                new ChaosHostOptions { Name = "other", Routes = { new ChaosRouteOptions { Path = "/o" } } },
            },
        });
        var paused = Enumerable.Range(0, 10).Select(i => server.Hosts["paused"].GetUri($"/p/{i}").AbsoluteUri).ToList();
        var other = Enumerable.Range(0, 50).Select(i => server.Hosts["other"].GetUri($"/o/{i}").AbsoluteUri).ToList();
        var input = Enumerable.Range(0, 10).SelectMany(i => other.Skip(i * 5).Take(5).Prepend(paused[i])).ToList();

        using var temp = new TempDirectory();
        var results = temp.File("results.jsonl");
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var console = new CliConsole(new MemoryStream(), new StringWriter(), static () => Stream.Null);
        var settings = new FetchSettings
        {
            Input = "(test)",
            OutputPath = results,
            Concurrency = 4,

            // On fake time only the test moves the clock: no time limit may fire while it does.
            Retry = new RepriseOptions { AttemptTimeout = Timeout.InfiniteTimeSpan, Deadline = Timeout.InfiniteTimeSpan },
        };
        var lines = input.Select((url, i) => new FetchInputLine(i + 1, url, null)).ToAsyncEnumerable();

        var run = new FetchRunner(console, timeProvider: time).RunAsync(settings, lines, CancellationToken.None);
        await Poll.UntilAsync(() => ResultsFile.CountLines(results) >= other.Count, "every URL of the other host has its line");

        var meanwhile = ResultsFile.Read(results);
        Assert.Equal(other.Order(), meanwhile.Select(static l => l.Url()).Order());
        Assert.All(meanwhile, static l => Assert.Equal(1, l.Attempts()));
        Assert.Equal(0, server.Hosts["paused"].Stats.CountOf(200));

        // Now let the pause pass; the paused host's URLs are retried and succeed.
        for (var step = 0; !run.IsCompleted && step < 600; step++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.WhenAny(run, Task.Delay(10));
        }

        var report = await run;
        Assert.Equal(ExitCode.Success, report.ExitCode);
        var all = ResultsFile.Read(results);
        Assert.Equal(input.Count, all.Count);
        Assert.Equal(other.Order(), all.Take(other.Count).Select(static l => l.Url()).Order());
        Assert.All(all.Skip(other.Count), static l => Assert.Equal((true, 2), (l.Ok(), l.Attempts())));
        Assert.Equal(paused.Order(), all.Skip(other.Count).Select(static l => l.Url()).Order());
    }
}
