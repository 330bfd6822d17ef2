using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Time.Testing;
using Reprise.Hosts;
using Reprise.Tests.TestSupport;

namespace Reprise.Tests.Hosts.NoRegret;

/// <summary>What the simulated server does with call <c>n</c> (from 1) of a URL at a time since the start.</summary>
internal readonly record struct SimulatedAnswer(HttpStatusCode Status, TimeSpan? RetryAfter = null, bool Hang = false, TimeSpan Latency = default)
{
    public static SimulatedAnswer Ok { get; } = new(HttpStatusCode.OK);
}

/// <summary>
/// A deterministic simulation of many URLs to one host through the public <see cref="RepriseHandler"/>: a fixed
/// number of workers (as <c>Parallel.ForEachAsync</c> would run them) each send the next URL and wait for its result,
/// to an in-memory server whose answers a function of (URL, call number, time) decides. Time is a
/// <see cref="FakeTimeProvider"/> advanced in small steps; nothing sleeps. It records when each URL ended, when each
/// request reached the server, and the host's circuit state at each step.
/// </summary>
internal sealed class SimulatedHost : IDisposable
{
    public static readonly Uri Base = new("http://sim.test/");
    private readonly ConcurrentDictionary<string, int> _calls = new(StringComparer.Ordinal);
    private readonly Func<string, int, TimeSpan, SimulatedAnswer> _answer;
    private readonly HttpMessageInvoker _invoker;
    private readonly DateTimeOffset _start;

    public SimulatedHost(Func<string, int, TimeSpan, SimulatedAnswer> answer, RepriseOptions options, HostCoordinationOptions hosts)
    {
        _answer = answer;
        _start = Time.GetUtcNow();
        Hosts = new HostRegistry(hosts, Time);
        _invoker = new HttpMessageInvoker(new RepriseHandler(new Server(this), options, Hosts, Time));
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero));

    public HostRegistry Hosts { get; }

    /// <summary>Gets when each URL ended (since the start) and with which status (0: an exception).</summary>
    public ConcurrentDictionary<string, (TimeSpan At, int Status)> Ended { get; } = new(StringComparer.Ordinal);

    /// <summary>Gets when each request reached the server, and its URL.</summary>
    public ConcurrentQueue<(TimeSpan At, string Url)> Arrivals { get; } = new();

    /// <summary>Gets whether the host's circuit was ever seen open (checked after every step).</summary>
    public bool CircuitOpened { get; private set; }

    public TimeSpan Now => Time.GetUtcNow() - _start;

    /// <summary>The default options of the table: 4 attempts, 1 s base delay, fixed jitter for repeatability.</summary>
    public static RepriseOptions Options(Action<RepriseOptions>? configure = null)
    {
        var options = new RepriseOptions { Randomizer = () => 0.5 };
        configure?.Invoke(options);
        return options;
    }

    /// <summary>Host coordination on, every part at its default, host concurrency 50 (as in the bench).</summary>
    public static HostCoordinationOptions On => new() { MaxConcurrency = 50 };

    /// <summary>Host coordination off with the same concurrency: the per-request reference.</summary>
    public static HostCoordinationOptions Off
    {
        get
        {
            var options = HostCoordinationOptions.Disabled;
            options.MaxConcurrency = 50;
            return options;
        }
    }

    /// <summary>Runs <paramref name="urls"/> URLs with <paramref name="workers"/> workers until all end or <paramref name="limit"/> passes.</summary>
    public void Run(int urls, int workers, TimeSpan limit, TimeSpan? step = null)
    {
        var queue = new ConcurrentQueue<string>(Enumerable.Range(0, urls).Select(static i => $"{Base}items/{i}"));
        using var stop = new CancellationTokenSource();

        // Without the test framework's context, every continuation runs inline when the clock fires: deterministic.
        var previous = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(null);
        Task[] running;
        try
        {
            running = [.. Enumerable.Range(0, workers).Select(_ => WorkAsync(queue, stop.Token))];
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previous);
        }

        while (Now < limit && !running.All(static t => t.IsCompleted))
        {
            Time.AdvanceInline(step ?? TimeSpan.FromMilliseconds(10));

            // A waiter granted a slot in the host's concurrency line resumes on the thread pool: let it arm its timers
            // before the clock moves on, or it would wake up past the end of the run.
            Quiesce();
            if (Hosts.GetSnapshot(Base)?.CircuitState is HostCircuitState.Open)
            {
                CircuitOpened = true;
            }
        }

        stop.Cancel();
        Time.AdvanceInline(TimeSpan.FromMilliseconds(1));
    }

    /// <summary>
    /// Waits until the thread pool has neither queued work nor work that completed since the last look: a continuation
    /// that runs while the clock moves on would arm its timers late, and the run would differ from one time to the next.
    /// </summary>
    private static void Quiesce()
    {
        long completed = -1;
        for (int i = 0; i < 10_000; i++)
        {
            SpinWait.SpinUntil(static () => ThreadPool.PendingWorkItemCount == 0, TimeSpan.FromSeconds(1));
            long now = ThreadPool.CompletedWorkItemCount;
            if (now == completed)
            {
                return;
            }

            completed = now;
            for (int spin = 0; spin < 20; spin++)
            {
                Thread.Yield();
            }
        }
    }

    /// <summary>Gets how many URLs ended with a status in (from, to] of simulated time.</summary>
    public int EndedBetween(TimeSpan from, TimeSpan to, Func<string, bool>? which = null)
        => Ended.Count(p => p.Value.At > from && p.Value.At <= to && (which?.Invoke(p.Key) ?? true));

    public int ArrivalsBetween(TimeSpan from, TimeSpan to) => Arrivals.Count(a => a.At >= from && a.At < to);

    public void Dispose() => _invoker.Dispose();

    private async Task WorkAsync(ConcurrentQueue<string> queue, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested && queue.TryDequeue(out var url))
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, url);
                using var response = await _invoker.SendAsync(request, stop).ConfigureAwait(false);
                Ended[url] = (Now, (int)response.StatusCode);
            }
            catch (Exception) when (!stop.IsCancellationRequested)
            {
                Ended[url] = (Now, 0);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private sealed class Server(SimulatedHost host) : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var url = request.RequestUri!.AbsoluteUri;
            var call = host._calls.AddOrUpdate(url, 1, static (_, n) => n + 1);
            host.Arrivals.Enqueue((host.Now, url));
            var answer = host._answer(url, call, host.Now);
            if (answer.Hang)
            {
                await Task.Delay(TimeSpan.FromDays(1), host.Time, cancellationToken).ConfigureAwait(false);
            }

            if (answer.Latency > TimeSpan.Zero)
            {
                await Task.Delay(answer.Latency, host.Time, cancellationToken).ConfigureAwait(false);
            }

            var response = new HttpResponseMessage(answer.Status) { RequestMessage = request, Content = new ByteArrayContent([]) };
            if (answer.RetryAfter is { } retryAfter)
            {
                response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(retryAfter);
            }

            return response;
        }
    }
}
