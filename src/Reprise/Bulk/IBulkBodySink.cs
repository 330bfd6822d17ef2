namespace Reprise.Bulk;

/// <summary>Opens the stream that receives the body of a request's final response, such as a file.</summary>
/// <remarks>
/// Called from the engine's workers, concurrently for different requests. Called again for the same request when
/// reading the body failed mid-way and the request is retried: the new stream must start afresh (a file opened with
/// <see cref="FileMode.Create"/>). The engine writes the body and ends the stream with <see cref="CompleteAsync"/>. An exception thrown here or
/// by the stream fails that request only (<see cref="BulkOutcome.Failed"/>), never the run.
/// </remarks>
public interface IBulkBodySink
{
    /// <summary>Opens the stream for one response body, or returns null to drop this body.</summary>
    /// <param name="request">The request the body answers.</param>
    /// <param name="response">The final response, for its status and headers; the engine reads its content.</param>
    /// <param name="path">Where the body goes, reported as <see cref="BulkResult.BodyPath"/>.</param>
    /// <returns>A writable stream, or null.</returns>
    Stream? Open(BulkRequest request, HttpResponseMessage response, out string? path);

    /// <summary>
    /// Ends a stream <see cref="Open"/> returned: the body was written in full, or it failed (cut short, too large,
    /// cancelled). A sink that writes to a temporary file renames it here when <paramref name="complete"/>, and deletes
    /// it otherwise. An exception fails the request when the body was complete.
    /// </summary>
    /// <param name="stream">The stream; this method disposes it.</param>
    /// <param name="complete">Whether every byte of the body was written.</param>
    /// <returns>A task that completes when the stream is ended.</returns>
    ValueTask CompleteAsync(Stream stream, bool complete)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return stream.DisposeAsync();
    }
}
