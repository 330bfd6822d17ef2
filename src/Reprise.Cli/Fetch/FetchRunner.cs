using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;
using Reprise.Bulk;
using Reprise.Cli.Console;
using Reprise.Cli.Output;
using Reprise.Hosts;

namespace Reprise.Cli.Fetch;

/// <summary>
/// Does the work of <c>reprise fetch</c> (and of <c>reprise demo</c>): feeds the input lines to a
/// <see cref="BulkEngine"/>, writes one JSON line per finished URL as it completes, shows the live display, and
/// ends with the summary.
/// </summary>
/// <remarks>
/// Only finished URLs get a line. A URL interrupted by Ctrl-C gets none, so <c>--resume</c> fetches it again and
/// every URL ends with exactly one line, however often the run is stopped.
/// </remarks>
internal sealed class FetchRunner
{
    private readonly CliConsole _console;
    private readonly HttpMessageHandler? _transport;
    private readonly TimeProvider _timeProvider;

    /// <param name="console">Where results, messages and the display go.</param>
    /// <param name="transport">The handler that sends each attempt; the engine's own when null.</param>
    /// <param name="timeProvider">The clock of retries, pauses and limits; the system's when null.</param>
    public FetchRunner(CliConsole console, HttpMessageHandler? transport = null, TimeProvider? timeProvider = null)
    {
        _console = console;
        _transport = transport;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Runs <c>reprise fetch</c>: reads the input file (or stdin for <c>-</c>).</summary>
    public async Task<ExitCode> RunAsync(FetchSettings settings, CancellationToken cancellationToken)
    {
        if (settings.Resume && settings.OutputPath is null)
        {
            _console.WriteError("--resume needs --out: the results file is what it resumes from.");
            return ExitCode.UsageError;
        }

        Stream input;
        try
        {
            input = settings.Input == "-" ? _console.OpenInput() : File.OpenRead(settings.Input);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            _console.WriteError($"cannot read the input '{settings.Input}': {ex.Message}");
            return ExitCode.UsageError;
        }

        await using (input.ConfigureAwait(false))
        {
            var report = await RunAsync(settings, FetchShardFilter.Select(FetchInputReader.ReadAsync(input), settings.Shard), cancellationToken).ConfigureAwait(false);
            return report.ExitCode;
        }
    }

    /// <summary>Runs the lines of any source; <c>reprise demo</c> passes generated ones.</summary>
    public async Task<FetchReport> RunAsync(FetchSettings settings, IAsyncEnumerable<FetchInputLine> lines, CancellationToken cancellationToken)
    {
        var perHost = settings.Hosts?.MaxConcurrency ?? settings.PerHost;
        var summary = new FetchSummary(settings.HostNames) { Activity = new HostActivity(TimeProvider.System, perHost), PerHost = perHost, Shard = settings.Shard };
        if (CreateEngine(settings, summary.Activity) is not { } engine)
        {
            return new FetchReport(ExitCode.UsageError, summary);
        }

        using (engine)
        {
            var resume = LoadResumeLog(settings);
            if (resume is null)
            {
                return new FetchReport(ExitCode.UsageError, summary);
            }

            if (settings.BodiesDirectory is { } bodies)
            {
                try
                {
                    Directory.CreateDirectory(bodies);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
                {
                    _console.WriteError($"--bodies: cannot create '{bodies}': {ex.Message}");
                    return new FetchReport(ExitCode.UsageError, summary);
                }
            }

            if (OpenResults(settings) is not { } writer)
            {
                return new FetchReport(ExitCode.UsageError, summary);
            }

            await using (writer.ConfigureAwait(false))
            {
                var exitCode = await RunEngineAsync(engine, settings, lines, resume, writer, summary, cancellationToken).ConfigureAwait(false);
                SummaryRenderer.Write(summary, _console, settings.OutputPath is null ? null : Path.GetFullPath(settings.OutputPath), settings.HostTablePath);
                return new FetchReport(exitCode, summary);
            }
        }
    }

    private static FetchResultLine ToLine(BulkResult result) => new()
    {
        // The user info of a URL is a secret: the results show it masked, and --resume matches on that form.
        Url = Secrets.MaskUserInfo(result.Url),
        Id = result.Id,
        Ok = result.IsSuccess,
        Outcome = result.Outcome switch
        {
            BulkOutcome.Succeeded => FetchOutcomes.Succeeded,
            BulkOutcome.InvalidInput => FetchOutcomes.InvalidInput,
            _ => FetchOutcomes.Failed,
        },
        Status = result.StatusCode is { } status ? (int)status : null,
        Stop = result.Outcome == BulkOutcome.InvalidInput ? StopNames.InvalidInput : StopNames.For(result.StopReason),
        Attempts = result.Attempts,
        ElapsedMs = (long)result.Elapsed.TotalMilliseconds,
        Bytes = result.Bytes,
        Error = result.IsSuccess ? null : (result.Error ?? result.StopReason.ToString()).ReplaceLineEndings(" "),
        BodyPath = result.BodyPath,
    };

    private static async IAsyncEnumerable<BulkRequest> ToRequestsAsync(
        IAsyncEnumerable<FetchInputLine> lines,
        ResumeLog resume,
        IReadOnlyList<KeyValuePair<string, string>> headers,
        ResultSink sink,
        StrongBox<long> skipped,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var line in lines.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (resume.TryConsume(Secrets.MaskUserInfo(line.Url)))
            {
                Interlocked.Increment(ref skipped.Value);
                continue;
            }

            if (line.Error is not null)
            {
                // Never a request: its one result is written here, and the engine never sees it.
                await sink.WriteInvalidAsync(line).ConfigureAwait(false);
                continue;
            }

            yield return FetchRequests.Create(line, headers);
        }
    }

    private async Task<ExitCode> RunEngineAsync(
        BulkEngine engine,
        FetchSettings settings,
        IAsyncEnumerable<FetchInputLine> lines,
        ResumeLog resume,
        ResultWriter writer,
        FetchSummary summary,
        CancellationToken cancellationToken)
    {
        var skipped = new StrongBox<long>();
        using var sink = new ResultSink(writer, summary);
        var requests = ToRequestsAsync(lines, resume, settings.Headers, sink, skipped);
        var started = _timeProvider.GetTimestamp();

        // A live display and results on the same terminal would tear each other: then the summary alone. When stderr is
        // not a terminal, a progress line every few seconds.
        using var stopDisplay = new CancellationTokenSource();
        var displayTask = _console.Terminal is { } terminal
            ? (settings.OutputPath is not null || !_console.OutputIsTerminal
                ? new LiveDisplay(terminal, engine, settings.HostNames, summary.Activity, summary.PerHost).RunAsync(stopDisplay.Token)
                : new ProgressLines(null, engine, summary.Activity, settings, () => sink.InvalidLines).RunAsync(stopDisplay.Token))
            : new ProgressLines(_console.Error, engine, summary.Activity, settings, () => sink.InvalidLines).RunAsync(stopDisplay.Token);

        ExitCode? error = null;
        try
        {
            await foreach (var result in engine.RunAsync(requests, cancellationToken).ConfigureAwait(false))
            {
                if (result.Outcome == BulkOutcome.Cancelled)
                {
                    // No line: the URL is not done, and --resume must fetch it again.
                    summary.Interrupted++;
                    continue;
                }

                await sink.WriteAsync(ToLine(result)).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Cancelled while reading the input: the engine has yielded every result it had; that is an interruption.
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The input failed (the engine finished what it had read), or the results file could not be written.
            _console.WriteError(ex.Message.ReplaceLineEndings(" "));
            error = ExitCode.SomeFailed;
        }
        finally
        {
            await stopDisplay.CancelAsync().ConfigureAwait(false);
            await displayTask.ConfigureAwait(false);
        }

        summary.Skipped = skipped.Value;
        summary.Elapsed = _timeProvider.GetElapsedTime(started);
        if (cancellationToken.IsCancellationRequested)
        {
            return ExitCode.Interrupted;
        }

        return error ?? (summary.Failed + summary.Invalid > 0 ? ExitCode.SomeFailed : ExitCode.Success);
    }

    private BulkEngine? CreateEngine(FetchSettings settings, HostActivity activity)
    {
        // The engine's host events (pauses, the breaker, held retries) reach the summary through its logs.
        settings.Retry.Telemetry.LoggerFactory = activity;
        var options = new BulkOptions
        {
            Retry = settings.Retry,
            DefaultHeaders = settings.DefaultHeaders,
            MaxConcurrency = settings.Concurrency,
            MaxPendingRequests = Math.Max(new BulkOptions().MaxPendingRequests, settings.Concurrency),
            BodyHandling = settings.BodiesDirectory is null ? BulkBodyHandling.Discard : BulkBodyHandling.Sink,
            BodySink = settings.BodiesDirectory is null ? null : new HashedBodySink(settings.BodiesDirectory),
            MaxBodySize = settings.MaxFileSize,
            Redirects = settings.Redirects,
        };
        try
        {
            var coordination = settings.Hosts ?? new HostCoordinationOptions { MaxConcurrency = settings.PerHost };
            coordination.SharedState ??= settings.SharedState;
            var hosts = new HostRegistry(coordination, _timeProvider);
            return _transport is null ? new BulkEngine(options, hosts) : new BulkEngine(_transport, options, hosts);
        }
        catch (OptionsValidationException ex)
        {
            // The command line checks every value; this is the library's last word on a combination it refuses.
            _console.WriteError(ex.Message.ReplaceLineEndings(" "));
            return null;
        }
    }

    /// <summary>Opens the results: stdout, or the <c>--out</c> file; a file that cannot be written is a usage error.</summary>
    private ResultWriter? OpenResults(FetchSettings settings)
    {
        if (settings.OutputPath is null)
        {
            return new ResultWriter(_console.Output, ownsStream: false);
        }

        try
        {
            return ResultWriter.OpenFile(settings.OutputPath, append: settings.Resume);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            _console.WriteError($"--out: cannot write '{settings.OutputPath}': {ex.Message}");
            return null;
        }
    }

    private ResumeLog? LoadResumeLog(FetchSettings settings)
    {
        if (!settings.Resume)
        {
            return ResumeLog.Empty;
        }

        try
        {
            var log = ResumeLog.Load(settings.OutputPath!);
            if (log.TornBytesDropped > 0)
            {
                _console.Error.WriteLine($"reprise: resuming: cut off a torn last line ({log.TornBytesDropped} bytes) of {settings.OutputPath}; its URL is fetched again.");
            }

            if (log.UnreadableLines > 0)
            {
                _console.Error.WriteLine($"reprise: resuming: {log.UnreadableLines} line(s) of {settings.OutputPath} are not results; they are kept and skip nothing.");
            }

            return log;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _console.WriteError($"--resume: cannot read '{settings.OutputPath}': {ex.Message}");
            return null;
        }
    }
}
