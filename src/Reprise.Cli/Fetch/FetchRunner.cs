using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;
using Reprise.Bulk;
using Reprise.Cli.Console;
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

        using var reader = new StreamReader(input);
        var report = await RunAsync(settings, FetchInputReader.ReadAsync(reader), cancellationToken).ConfigureAwait(false);
        return report.ExitCode;
    }

    /// <summary>Runs the lines of any source; <c>reprise demo</c> passes generated ones.</summary>
    public async Task<FetchReport> RunAsync(FetchSettings settings, IAsyncEnumerable<FetchInputLine> lines, CancellationToken cancellationToken)
    {
        var summary = new FetchSummary(settings.HostNames);
        if (CreateEngine(settings) is not { } engine)
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

            var writer = settings.OutputPath is null
                ? new ResultWriter(_console.Output, ownsStream: false)
                : ResultWriter.OpenFile(settings.OutputPath, append: settings.Resume);
            await using (writer.ConfigureAwait(false))
            {
                var exitCode = await RunEngineAsync(engine, settings, lines, resume, writer, summary, cancellationToken).ConfigureAwait(false);
                SummaryRenderer.Write(summary, _console, settings.OutputPath is null ? null : Path.GetFullPath(settings.OutputPath));
                return new FetchReport(exitCode, summary);
            }
        }
    }

    private static FetchResultLine ToLine(BulkResult result) => new()
    {
        Url = result.Url,
        Id = result.Id,
        Ok = result.IsSuccess,
        Outcome = result.Outcome switch
        {
            BulkOutcome.Succeeded => FetchOutcomes.Succeeded,
            BulkOutcome.InvalidInput => FetchOutcomes.InvalidInput,
            _ => FetchOutcomes.Failed,
        },
        Status = result.StatusCode is { } status ? (int)status : null,
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
        StrongBox<long> skipped,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var line in lines.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (resume.TryConsume(line.Url))
            {
                Interlocked.Increment(ref skipped.Value);
                continue;
            }

            yield return new BulkRequest(line.Url) { Id = line.Id, Headers = headers.Count == 0 ? null : headers };
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
        var requests = ToRequestsAsync(lines, resume, settings.Headers, skipped);
        var started = _timeProvider.GetTimestamp();

        // A live display and results on the same terminal would tear each other: then the summary alone.
        var display = _console.Terminal is { } terminal && (settings.OutputPath is not null || !_console.OutputIsTerminal)
            ? new LiveDisplay(terminal, engine, settings.HostNames)
            : null;
        using var stopDisplay = new CancellationTokenSource();
        var displayTask = display?.RunAsync(stopDisplay.Token) ?? Task.CompletedTask;

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

                var line = ToLine(result);
                await writer.WriteAsync(line).ConfigureAwait(false);
                summary.Add(line);
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

    private BulkEngine? CreateEngine(FetchSettings settings)
    {
        var options = new BulkOptions
        {
            Retry = settings.Retry,
            MaxConcurrency = settings.Concurrency,
            MaxPendingRequests = Math.Max(new BulkOptions().MaxPendingRequests, settings.Concurrency),
            BodyHandling = settings.BodiesDirectory is null ? BulkBodyHandling.Discard : BulkBodyHandling.Sink,
            BodySink = settings.BodiesDirectory is null ? null : new HashedBodySink(settings.BodiesDirectory),
        };
        try
        {
            var hosts = new HostRegistry(new HostCoordinationOptions { MaxConcurrency = settings.PerHost }, _timeProvider);
            return _transport is null ? new BulkEngine(options, hosts) : new BulkEngine(_transport, options, hosts);
        }
        catch (OptionsValidationException ex)
        {
            // The command line checks every value; this is the library's last word on a combination it refuses.
            _console.WriteError(ex.Message.ReplaceLineEndings(" "));
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
