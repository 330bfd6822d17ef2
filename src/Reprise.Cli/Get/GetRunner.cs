using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using Reprise.Cli.Console;
using Reprise.Cli.Output;
using Reprise.Cli.Parsing;
using Reprise.Transport;
using Reprise.Retry;

namespace Reprise.Cli.Get;

/// <summary>Does the work of <c>reprise get</c>: one request through <see cref="RepriseHandler"/>, its body to stdout or a file.</summary>
internal sealed class GetRunner
{
    // curl's type for -d without a Content-Type header.
    private const string DefaultDataContentType = "application/x-www-form-urlencoded";
    private const string JsonContentType = "application/json";

    private readonly CliConsole _console;

    /// <param name="console">Where the body and the messages go.</param>
    public GetRunner(CliConsole console)
    {
        _console = console;
    }

    public async Task<ExitCode> RunAsync(GetSettings settings, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(settings.Method, settings.Url);
        var usageError = await PrepareAsync(request, settings, cancellationToken).ConfigureAwait(false);
        if (usageError is not null)
        {
            _console.WriteError(usageError);
            return ExitCode.UsageError;
        }

        var verbose = settings.Verbose ? new VerboseLog(_console.Error) : null;
        if (verbose is not null)
        {
            WriteRequest(request, settings);
            settings.Retry.Telemetry.LoggerFactory = verbose;
        }

        // The handler disposes its inner SocketsHttpHandler with it. HttpClient.Timeout is off: --deadline rules, with its reason.
        settings.Retry.MaxResponseBodySize = settings.MaxFileSize;
        var started = Stopwatch.GetTimestamp();
        using var handler = new RepriseHandler(CreateTransport(settings, verbose), settings.Retry, SharedHosts(settings));
        using var client = new HttpClient(handler, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan };
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            var history = response.GetRetryHistory();
            var stop = StopNames.For(history?.StopReason ?? RetryStopReason.Completed);
            if (verbose is not null)
            {
                ResponseHead.WriteVerbose(response, _console.Error);
                WriteHistory(history, verbose);
            }

            if (settings.Include)
            {
                await ResponseHead.WriteAsync(response, _console.Output, cancellationToken).ConfigureAwait(false);
            }

            // Like curl without -f, the body of an error status is written too: it often says what went wrong.
            await WriteBodyAsync(response, settings.OutputPath, cancellationToken).ConfigureAwait(false);

            var exitCode = GetExitCodes.ForResponse(response.StatusCode, stop);
            if (exitCode != ExitCode.Success)
            {
                _console.WriteError(string.Create(
                    CultureInfo.InvariantCulture,
                    $"{(int)response.StatusCode} {response.ReasonPhrase} after {history?.Attempts.Count ?? 1} attempt(s) ({stop})."));
            }

            await WriteOutAsync(settings, (int)response.StatusCode, history, stop, exitCode, started, cancellationToken).ConfigureAwait(false);
            return exitCode;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            WriteHistoryIfVerbose(request, verbose);
            _console.WriteError("interrupted.");
            return ExitCode.Interrupted;
        }
        catch (OutputFileException ex)
        {
            _console.WriteError(ex.Message.ReplaceLineEndings(" "));
            return ExitCode.UsageError;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
        {
            WriteHistoryIfVerbose(request, verbose);
            var history = (ex as RepriseRequestException)?.History ?? request.GetRetryHistory();
            var stop = history is null || history.StopReason == RetryStopReason.None ? null : StopNames.For(history.StopReason);
            var exitCode = GetExitCodes.ForError(stop, history?.LastAttempt?.ErrorType, ex is TaskCanceledException { InnerException: TimeoutException });
            _console.WriteError(stop is null || ex is RepriseRequestException ? OneLine(ex) : $"{OneLine(ex)} ({stop})");
            await WriteOutAsync(settings, 0, history, stop ?? string.Empty, exitCode, started, cancellationToken).ConfigureAwait(false);
            return exitCode;
        }
    }

    private static HttpMessageHandler CreateTransport(GetSettings settings, VerboseLog? verbose)
    {
        var transport = new RepriseTransportHandler(GetTransport.Create(settings), settings.Redirects);
        return verbose is null ? transport : new RedirectLog(transport, verbose, settings.ShowQuery);
    }

    private async Task WriteOutAsync(
        GetSettings settings, int status, RetryHistory? history, string stop, ExitCode exitCode, long started, CancellationToken cancellationToken)
    {
        if (settings.WriteOut is not { } template)
        {
            return;
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["http_code"] = status.ToString("000", CultureInfo.InvariantCulture),
            ["response_code"] = status.ToString("000", CultureInfo.InvariantCulture),
            ["time_total"] = WriteOut.Seconds(Stopwatch.GetElapsedTime(started)),
            ["num_attempts"] = (history?.Attempts.Count ?? 0).ToString(CultureInfo.InvariantCulture),
            ["stop"] = stop,
            ["url_effective"] = Secrets.ForDisplay(settings.Url, settings.ShowQuery),
            ["exitcode"] = ((int)exitCode).ToString(CultureInfo.InvariantCulture),
        };
        await _console.Output.WriteAsync(System.Text.Encoding.UTF8.GetBytes(WriteOut.Format(template, values)), cancellationToken).ConfigureAwait(false);
        await _console.Output.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    // With --redis, a registry of its own that shares the host's pause, probe and rate; otherwise the handler's own.
    private static Reprise.Hosts.HostRegistry? SharedHosts(GetSettings settings) => settings.SharedState is null
        ? null
        : new Reprise.Hosts.HostRegistry(new Reprise.Hosts.HostCoordinationOptions { SharedState = settings.SharedState });

    private static string OneLine(Exception ex)
    {
        var message = ex switch
        {
            // The stop name comes after, as for a status: "connection_refused after 4 attempt(s) (attempts_exhausted): ...".
            RepriseRequestException reprise => string.Create(
                CultureInfo.InvariantCulture,
                $"{reprise.History.LastAttempt?.ErrorType ?? "error"} after {reprise.History.Attempts.Count} attempt(s) ({StopNames.For(reprise.StopReason)}): {reprise.InnerException?.Message}"),
            TaskCanceledException { InnerException: TimeoutException timeout } => timeout.Message,
            _ when ex.InnerException is { } inner => $"{ex.Message} {inner.Message}",
            _ => ex.Message,
        };
        return message.ReplaceLineEndings(" ");
    }

    private async Task<string?> PrepareAsync(HttpRequestMessage request, GetSettings settings, CancellationToken cancellationToken)
    {
        if (settings.Data is { } data)
        {
            byte[] bytes;
            try
            {
                bytes = await RequestData.ReadAsync(data, settings.DataKind, _console, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return $"{DataOption(settings.DataKind)}: cannot read '{data[1..]}': {ex.Message}";
            }

            request.Content = new ByteArrayContent(bytes);
        }

        var hasContentType = false;
        foreach (var (name, value) in settings.Headers)
        {
            if (request.Headers.TryAddWithoutValidation(name, value))
            {
                continue;
            }

            // Content headers (Content-Type, Content-Language...) belong to the body.
            if (request.Content is null)
            {
                return $"--header: '{name}' describes a body; give one with -d.";
            }

            hasContentType |= name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase);
            request.Content.Headers.TryAddWithoutValidation(name, value);
        }

        if (request.Content is not null && !hasContentType)
        {
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(settings.DataKind == DataKind.Json ? JsonContentType : DefaultDataContentType);
        }

        if (settings.User is { } user && request.Headers.Authorization is null)
        {
            request.Headers.Authorization = BasicAuth.Create(user);
        }

        return null;
    }

    private static string DataOption(DataKind kind) => kind switch
    {
        DataKind.Binary => "--data-binary",
        DataKind.Json => "--json",
        _ => "--data",
    };

    private async Task WriteBodyAsync(HttpResponseMessage response, string? outputPath, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (body.ConfigureAwait(false))
        {
            if (outputPath is null)
            {
                await body.CopyToAsync(_console.Output, cancellationToken).ConfigureAwait(false);
                await _console.Output.FlushAsync(cancellationToken).ConfigureAwait(false);
                return;
            }

            var file = OutputFile.Open(outputPath);
            await using (file.ConfigureAwait(false))
            {
                await body.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private void WriteRequest(HttpRequestMessage request, GetSettings settings)
    {
        // Header values can be secrets (Authorization, cookies, API keys): only their names are shown.
        var names = settings.Headers.Select(static h => h.Key).ToList();
        var headers = names.Count == 0 ? string.Empty : $" (headers: {string.Join(", ", names)})";
        var body = request.Content is null ? string.Empty : string.Create(CultureInfo.InvariantCulture, $" with a {request.Content.Headers.ContentLength ?? 0}-byte body");
        _console.Error.WriteLine($"> {request.Method} {Secrets.ForDisplay(request.RequestUri!, settings.ShowQuery)}{headers}{body}");
        _console.Error.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"* up to {settings.Retry.MaxAttempts} attempt(s), retry on {settings.Retry.RetryOn}, attempt timeout {DurationParser.Format(settings.Retry.AttemptTimeout)}, deadline {DurationParser.Format(settings.Retry.Deadline)}"));
    }

    private void WriteHistoryIfVerbose(HttpRequestMessage request, VerboseLog? verbose)
    {
        if (verbose is not null)
        {
            WriteHistory(request.GetRetryHistory(), verbose);
        }
    }

    private void WriteHistory(RetryHistory? history, VerboseLog verbose)
    {
        if (history is null)
        {
            return;
        }

        // The attempts were printed as they happened; any the log did not hear (a handler without the events) come here.
        foreach (var attempt in history.Attempts.Skip(verbose.AttemptsWritten))
        {
            _console.Error.WriteLine(DescribeAttempt(attempt));
        }

        _console.Error.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"* {StopNames.For(history.StopReason)} after {history.Attempts.Count} attempt(s) in {DurationParser.Format(history.Elapsed)}"));
    }

    internal static string DescribeAttempt(AttemptRecord attempt)
    {
        var result = attempt.StatusCode is { } status ? ((int)status).ToString(CultureInfo.InvariantCulture) : attempt.ErrorType ?? "error";
        var line = VerboseLog.AttemptLine(attempt.Number, result, attempt.Duration, attempt.HostWait);
        return attempt.DelaySource == RetryWaitSource.None
            ? line
            : $"{line}\n{VerboseLog.WaitLine(attempt.Number + 1, attempt.Delay, attempt.DelaySource == RetryWaitSource.RetryAfter ? "retry_after" : "backoff")}";
    }
}
