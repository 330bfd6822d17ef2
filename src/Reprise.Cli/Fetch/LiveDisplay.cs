using System.Globalization;
using Reprise.Bulk;
using Reprise.Hosts;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Reprise.Cli.Fetch;

/// <summary>
/// The live view of a bulk run on a terminal: done, failed and retrying counts, the rate, and the hosts that are
/// paused, probed after an outage, or throttled. Redrawn a few times a second until the run ends.
/// </summary>
internal sealed class LiveDisplay
{
    private const int MaxHostRows = 8;

    private readonly IAnsiConsole _terminal;
    private readonly BulkEngine _engine;
    private readonly IReadOnlyDictionary<string, string>? _hostNames;
    private readonly HostActivity _activity;
    private readonly int _perHost;
    private readonly long _started;
    private long _lastDone;
    private long _lastTimestamp;
    private double _rate;

    public LiveDisplay(IAnsiConsole terminal, BulkEngine engine, IReadOnlyDictionary<string, string>? hostNames, HostActivity activity, int perHost)
    {
        _activity = activity;
        _perHost = perHost;
        _terminal = terminal;
        _engine = engine;
        _hostNames = hostNames;
        _started = TimeProvider.System.GetTimestamp();
        _lastTimestamp = _started;
    }

    /// <summary>Redraws until <paramref name="stop"/> is cancelled, then clears itself (the summary follows).</summary>
    public Task RunAsync(CancellationToken stop)
        => _terminal.Live(Render()).AutoClear(true).StartAsync(async context =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    // The display follows the wall clock even when a test drives the engine with fake time.
                    await Task.Delay(FetchDefaults.RefreshInterval, TimeProvider.System, stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                context.UpdateTarget(Render());
            }
        });

    private IRenderable Render()
    {
        var progress = _engine.GetProgress();
        var now = TimeProvider.System.GetTimestamp();
        var interval = TimeProvider.System.GetElapsedTime(_lastTimestamp, now).TotalSeconds;
        if (interval > 0.1)
        {
            // A moving average over about two seconds: steady enough to read, quick enough to show a pause.
            var instant = (progress.Done - _lastDone) / interval;
            _rate = _lastDone == 0 && _rate == 0 ? instant : (0.8 * _rate) + (0.2 * instant);
            _lastDone = progress.Done;
            _lastTimestamp = now;
        }

        var elapsed = TimeProvider.System.GetElapsedTime(_started, now);
        var counts = new Markup(string.Create(
            CultureInfo.InvariantCulture,
            $"[bold]{progress.Done:N0}[/] done of {progress.Read:N0} read   ok [green]{progress.Succeeded:N0}[/]   failed [red]{progress.Failed + progress.InvalidInput:N0}[/]   retrying [yellow]{progress.Retrying:N0}[/]   in flight {progress.InFlight:N0}   waiting {progress.WaitingForRetry:N0} retry / {progress.WaitingForHost:N0} host   [blue]{_rate:0}/s[/]   {elapsed.TotalSeconds:0}s"));

        var rows = new List<IRenderable> { counts };
        var snapshots = _engine.Hosts.GetSnapshots();
        _activity.Sample(snapshots, progress.WaitingForHost);
        var wallNow = TimeProvider.System.GetUtcNow();
        var troubled = snapshots
            .Select(h => (Host: h, State: Describe(h, wallNow)))
            .Where(static h => h.State is not null)
            .OrderByDescending(static h => h.Host.Waiting)
            .Take(MaxHostRows)
            .ToList();
        if (troubled.Count > 0)
        {
            var table = new Table { Border = TableBorder.Simple };
            table.AddColumn("host");
            table.AddColumn("state");
            table.AddColumn(new TableColumn("in flight / limit").RightAligned());
            table.AddColumn(new TableColumn("waiting").RightAligned());
            foreach (var (host, state) in troubled)
            {
                table.AddRow(
                    Markup.Escape(_hostNames?.GetValueOrDefault(host.Host) ?? host.Host),
                    state!,
                    string.Create(CultureInfo.InvariantCulture, $"{host.InFlight} / {host.ConcurrencyLimit}"),
                    host.Waiting.ToString(CultureInfo.InvariantCulture));
            }

            rows.Add(table);
        }

        return new Rows(rows);
    }

    private string? Describe(HostSnapshot host, DateTimeOffset now)
    {
        var parts = HostStateText.Describe(host, now, _perHost);
        return parts.Count == 0 ? null : $"[yellow]{Markup.Escape(string.Join(", ", parts))}[/]";
    }
}
