using Reprise.Timing;

namespace Reprise.Requests;

/// <summary>
/// The one way a response that will not be returned (one about to be retried) is thrown away, for the handler and
/// the bulk engine alike: a small body is read to its end, within <see cref="RepriseDefaults.DrainTimeout"/>, so that
/// the connection goes back to the pool, and the response is disposed.
/// </summary>
internal static class ResponseDiscard
{
    // The type of what HttpResponseMessage.Content returns for a response without content (internal to System.Net.Http).
    private static readonly Type EmptyContentType = GetEmptyContentType();

    /// <summary>Gets whether a response carries content of its own, rather than the stand-in of a response without any.</summary>
    /// <remarks>
    /// Asking the length of the stand-in content would store a Content-Length of 0 in headers nobody asked for.
    /// </remarks>
    public static bool HasContent(HttpResponseMessage response) => response.Content.GetType() != EmptyContentType;

    /// <summary>Drains a small body (never longer than the drain timeout) and disposes the response.</summary>
    /// <param name="response">The response to throw away.</param>
    /// <param name="cancellationToken">The request's or the run's cancellation.</param>
    /// <param name="timeProvider">The clock of the drain timeout.</param>
    public static async ValueTask DiscardAsync(HttpResponseMessage response, CancellationToken cancellationToken, TimeProvider timeProvider)
    {
        // A server that sends the body slowly, or stalls after a small Content-Length, gets a short bound of its own,
        // not the rest of the deadline: it must not hold a worker or a host slot. An empty body (a 429 or 503 often has
        // none) has nothing to read, and no timer is started for it.
        if (HasContent(response) && response.Content.Headers.ContentLength is > 0 and <= RepriseDefaults.DrainLimit)
        {
            try
            {
                using var drain = TimeoutScope.Start(cancellationToken, RepriseDefaults.DrainTimeout, timeProvider);
                await response.Content.CopyToAsync(Stream.Null, drain.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException)
            {
                // The connection is lost either way; the next attempt opens another.
            }
        }

        response.Dispose();
    }

    private static Type GetEmptyContentType()
    {
        using var response = new HttpResponseMessage();
        return response.Content.GetType();
    }
}
