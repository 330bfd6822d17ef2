using System.Globalization;
using Reprise.Bulk;
using Reprise.Cli.Parsing;

namespace Reprise.Cli.Fetch;

/// <summary>
/// The progress of a run when stderr is not a terminal (CI logs, nohup): one plain line every few seconds, with the
/// counts, the rate, and the hosts that are held back and why. Also keeps <see cref="HostActivity"/> sampled.
/// </summary>
internal sealed class ProgressLines
{
    private const int MaxHosts = 5;

    private readonly TextWriter? _error;
    private readonly BulkEngine _engine;
    private readonly HostActivity _activity;
    private readonly FetchSettings _settings;
    private readonly Func<long> _invalidLines;
    private readonly long _started = TimeProvider.System.GetTimestamp();
    private long _lastDone;

    /// <param name="error">Where the lines go, or null to sample only (the results share a terminal with stderr).</param>
    /// <param name="engine">The engine whose progress and hosts are shown.</param>
    /// <param name="activity">What the client did to each host, sampled here.</param>
    /// <param name="settings">The run's settings: the interval, <c>--per-host</c>, host names.</param>
    /// <param name="invalidLines">The count of input lines that never reached the engine.</param>
    public ProgressLines(TextWriter? error, BulkEngine engine, HostActivity activity, FetchSettings settings, Func<long> invalidLines)
    {
        _error = error;
        _engine = engine;
        _activity = activity;
        _settings = settings;
        _invalidLines = invalidLines;
    }

    public async Task RunAsync(CancellationToken stop)
    {
        // The lines follow the wall clock even when a test drives the engine with fake time.
        var next = _settings.ProgressInterval;
        var elapsed = TimeSpan.Zero;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(FetchDefaults.RefreshInterval, TimeProvider.System, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            _activity.Sample(_engine.Hosts.GetSnapshots(), _engine.GetProgress().WaitingForHost);
            elapsed += FetchDefaults.RefreshInterval;
            if (_error is not null && _settings.ProgressInterval != Timeout.InfiniteTimeSpan && elapsed >= next)
            {
                next += _settings.ProgressInterval;
                _error.WriteLine(Line());
            }
        }
    }

    public string Line()
    {
        var progress = _engine.GetProgress();
        var elapsed = TimeProvider.System.GetElapsedTime(_started);
        var done = progress.Done + _invalidLines();
        var rate = (done - _lastDone) / Math.Max(_settings.ProgressInterval.TotalSeconds, 0.001);
        _lastDone = done;
        var text = string.Create(
            CultureInfo.InvariantCulture,
            $"reprise: {DurationParser.Format(TimeSpan.FromSeconds(Math.Round(elapsed.TotalSeconds)))}: {done:N0} done ({progress.Succeeded:N0} ok, {progress.Failed + progress.InvalidInput + _invalidLines():N0} failed), {progress.InFlight:N0} in flight, waiting {progress.WaitingForRetry:N0} for a retry and {progress.WaitingForHost:N0} for their host, {rate:0}/s");
        var now = TimeProvider.System.GetUtcNow();
        var held = _engine.Hosts.GetSnapshots()
            .Select(h => (Host: h, State: HostStateText.Describe(h, now, _settings.PerHost)))
            .Where(static h => h.State.Count > 0)
            .OrderByDescending(static h => h.Host.Waiting)
            .ToList();
        if (held.Count > 0)
        {
            var names = held.Take(MaxHosts).Select(h => $"{Name(h.Host.Host)} {string.Join(", ", h.State)}");
            text += $"; {string.Join("; ", names)}";
            if (held.Count > MaxHosts)
            {
                text += string.Create(CultureInfo.InvariantCulture, $"; {held.Count - MaxHosts} more host(s) held back");
            }
        }

        return text;
    }

    private string Name(string host)
        => _settings.HostNames?.GetValueOrDefault(TrimDefaultPort(host)) ?? _settings.HostNames?.GetValueOrDefault(host) ?? host;

    private static string TrimDefaultPort(string host)
        => host.EndsWith(":80", StringComparison.Ordinal) || host.EndsWith(":443", StringComparison.Ordinal) ? host[..host.LastIndexOf(':')] : host;
}
