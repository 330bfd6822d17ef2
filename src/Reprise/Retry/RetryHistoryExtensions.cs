namespace Reprise.Retry;

/// <summary>Reads the <see cref="RetryHistory"/> that the Reprise handler attaches to a request.</summary>
public static class RetryHistoryExtensions
{
    /// <summary>Gets the history of the request that produced this response, or null when Reprise did not send it.</summary>
    /// <param name="response">The response returned by an <see cref="HttpClient"/> using the Reprise handler.</param>
    /// <returns>The history, or null.</returns>
    public static RetryHistory? GetRetryHistory(this HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return response.RequestMessage?.GetRetryHistory();
    }

    /// <summary>Gets the history of a request sent through the Reprise handler, or null when none was attached.</summary>
    /// <param name="request">The request.</param>
    /// <returns>The history, or null.</returns>
    public static RetryHistory? GetRetryHistory(this HttpRequestMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Options.TryGetValue(RetryHistory.OptionsKey, out var history) ? history : null;
    }
}
