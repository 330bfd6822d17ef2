using Reprise.Retry;

namespace DiWebApi;

/// <summary>A typed client of the flaky upstream; its HttpClient comes from IHttpClientFactory with Reprise in front.</summary>
public sealed class UpstreamClient(HttpClient client)
{
    public const string Name = "upstream";

    public async Task<UpstreamResult> GetForecastAsync(string city, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await client.GetAsync($"forecast/{Uri.EscapeDataString(city)}", cancellationToken);
            var history = response.GetRetryHistory();
            return new UpstreamResult((int)response.StatusCode, history?.Attempts.Count ?? 1, history?.StopReason.ToString(), history?.ToString());
        }
        catch (RepriseRequestException ex)
        {
            // Every attempt failed without a response (resets, timeouts): the history says what happened.
            return new UpstreamResult(null, ex.History.Attempts.Count, ex.StopReason.ToString(), ex.History.ToString());
        }
    }
}

public sealed record UpstreamResult(int? Status, int Attempts, string? StopReason, string? History);
