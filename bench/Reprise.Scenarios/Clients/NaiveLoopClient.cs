using System.Net;

namespace Reprise.Scenarios.Clients;

/// <summary>
/// The retry loop of most blog posts, made curl-like: every URL started at once (<c>Task.WhenAll</c>, no
/// concurrency limit), up to 4 attempts, fixed waits of 1, 2 and 4 s without jitter, retrying transport errors,
/// timeouts and 408, 429, 500, 502, 503, 504 (not every non-success: that would resend 404s), and no Retry-After.
/// <see cref="HttpClient.Timeout"/> bounds each attempt, since each attempt is its own call.
/// </summary>
internal sealed class NaiveLoopClient : ScenarioClient
{
    private const int MaxAttempts = 4;
    private readonly HttpClient _client;

    public NaiveLoopClient(TimeSpan timeout)
    {
        _client = new HttpClient { Timeout = timeout };
    }

    public override Task RunAsync(IEnumerable<string> urls, Tally tally, CancellationToken cancellationToken)
        => Task.WhenAll(urls.Select(url => SendAsync(url, tally, cancellationToken)));

    public override ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }

    private static bool IsTransient(int status)
        => status is (int)HttpStatusCode.RequestTimeout or (int)HttpStatusCode.TooManyRequests or (int)HttpStatusCode.InternalServerError
            or (int)HttpStatusCode.BadGateway or (int)HttpStatusCode.ServiceUnavailable or (int)HttpStatusCode.GatewayTimeout;

    private async Task SendAsync(string url, Tally tally, CancellationToken cancellationToken)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            await SendCoreAsync(url, tally, cancellationToken);
        }
        finally
        {
            tally.Took(System.Diagnostics.Stopwatch.GetElapsedTime(started));
        }
    }

    private async Task SendCoreAsync(string url, Tally tally, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var status = await ReadAsync(await _client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken), cancellationToken);
                if (!IsTransient(status) || attempt == MaxAttempts)
                {
                    tally.Status(status);
                    return;
                }
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                if (attempt == MaxAttempts)
                {
                    tally.Error(ex);
                    return;
                }
            }

            await Task.Delay(TimeSpan.FromSeconds(1 << (attempt - 1)), cancellationToken);
        }
    }
}
