using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Reprise.Cli.Console;
using Reprise.Cli.Parsing;
using Reprise.Retry;

namespace Reprise.Cli.Get;

/// <summary>Does the work of <c>reprise get</c>: one request through <see cref="RepriseHandler"/>, its body to stdout or a file.</summary>
internal sealed class GetRunner
{
    // curl's type for -d without a Content-Type header.
    private const string DefaultDataContentType = "application/x-www-form-urlencoded";

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

        if (settings.Verbose)
        {
            WriteRequest(request, settings);
        }

        // The handler disposes its inner SocketsHttpHandler with it. HttpClient.Timeout is off: --deadline rules, with its reason.
        using var handler = new RepriseHandler(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.All, UseCookies = false }, settings.Retry, SharedHosts(settings));
        using var client = new HttpClient(handler, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan };
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            var history = response.GetRetryHistory();
            if (settings.Verbose && history is not null)
            {
                WriteHistory(history);
            }

            // Like curl without -f, the body of an error status is written too: it often says what went wrong.
            await WriteBodyAsync(response, settings.OutputPath, cancellationToken).ConfigureAwait(false);

            if (response.IsSuccessStatusCode || (int)response.StatusCode is >= 300 and < 400)
            {
                return ExitCode.Success;
            }

            _console.WriteError(string.Create(
                CultureInfo.InvariantCulture,
                $"{(int)response.StatusCode} {response.ReasonPhrase} after {history?.Attempts.Count ?? 1} attempt(s) ({history?.StopReason ?? RetryStopReason.Completed})."));
            return ExitCode.SomeFailed;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            WriteHistoryIfVerbose(request, settings);
            _console.WriteError("interrupted.");
            return ExitCode.Interrupted;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
        {
            WriteHistoryIfVerbose(request, settings);
            _console.WriteError(OneLine(ex));
            return ExitCode.SomeFailed;
        }
    }

    // With --redis, a registry of its own that shares the host's pause, probe and rate; otherwise the handler's own.
    private static Reprise.Hosts.HostRegistry? SharedHosts(GetSettings settings) => settings.SharedState is null
        ? null
        : new Reprise.Hosts.HostRegistry(new Reprise.Hosts.HostCoordinationOptions { SharedState = settings.SharedState });

    private static string OneLine(Exception ex)
    {
        var message = ex switch
        {
            RepriseRequestException reprise => reprise.Message,
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
                bytes = await ReadDataAsync(data, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return $"--data: cannot read '{data[1..]}': {ex.Message}";
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
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(DefaultDataContentType);
        }

        return null;
    }

    private async Task<byte[]> ReadDataAsync(string data, CancellationToken cancellationToken)
    {
        if (data == "@-")
        {
            var input = _console.OpenInput();
            await using (input.ConfigureAwait(false))
            {
                using var buffer = new MemoryStream();
                await input.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
                return buffer.ToArray();
            }
        }

        return data.StartsWith('@')
            ? await File.ReadAllBytesAsync(data[1..], cancellationToken).ConfigureAwait(false)
            : System.Text.Encoding.UTF8.GetBytes(data);
    }

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

            var file = new FileStream(outputPath, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1, useAsync: true);
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
        _console.Error.WriteLine($"> {request.Method} {Redact(request.RequestUri!)}{headers}{body}");
        _console.Error.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"* up to {settings.Retry.MaxAttempts} attempt(s), retry on {settings.Retry.RetryOn}, attempt timeout {DurationParser.Format(settings.Retry.AttemptTimeout)}, deadline {DurationParser.Format(settings.Retry.Deadline)}"));
    }

    private void WriteHistoryIfVerbose(HttpRequestMessage request, GetSettings settings)
    {
        if (settings.Verbose && request.GetRetryHistory() is { } history)
        {
            WriteHistory(history);
        }
    }

    private void WriteHistory(RetryHistory history)
    {
        foreach (var attempt in history.Attempts)
        {
            _console.Error.WriteLine(DescribeAttempt(attempt));
        }

        _console.Error.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"* {history.StopReason} after {history.Attempts.Count} attempt(s) in {DurationParser.Format(history.Elapsed)}"));
    }

    internal static string DescribeAttempt(AttemptRecord attempt)
    {
        var outcome = attempt.StatusCode is { } status
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)status} {ReasonPhrase(status)}")
            : $"{attempt.ErrorType ?? "error"} ({attempt.Exception?.Message.ReplaceLineEndings(" ")})";
        var hostWait = attempt.HostWait >= TimeSpan.FromMilliseconds(1) ? $" after waiting {DurationParser.Format(attempt.HostWait)} for the host" : string.Empty;
        var wait = attempt.DelaySource == RetryWaitSource.None
            ? string.Empty
            : $"; retrying in {DurationParser.Format(attempt.Delay)} ({(attempt.DelaySource == RetryWaitSource.RetryAfter ? "Retry-After" : "backoff")})";
        return string.Create(CultureInfo.InvariantCulture, $"< attempt {attempt.Number}: {outcome} in {DurationParser.Format(attempt.Duration)}{hostWait}{wait}");
    }

    private static string ReasonPhrase(HttpStatusCode status)
    {
        using var response = new HttpResponseMessage(status);
        return response.ReasonPhrase ?? string.Empty;
    }

    // A URL's user info (user:password@) is a secret like a header value.
    private static string Redact(Uri uri) => string.IsNullOrEmpty(uri.UserInfo)
        ? uri.AbsoluteUri
        : new UriBuilder(uri) { UserName = "***", Password = string.Empty }.Uri.AbsoluteUri;
}
