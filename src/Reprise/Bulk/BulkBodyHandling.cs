namespace Reprise.Bulk;

/// <summary>What the bulk engine does with the body of each request's final response.</summary>
public enum BulkBodyHandling
{
    /// <summary>Read to the end and counted, then dropped: the connection goes back to the pool.</summary>
    Discard,

    /// <summary>Kept in memory in <see cref="BulkResult.Body"/>, up to <see cref="BulkOptions.MaxBodyInMemory"/> bytes.</summary>
    Memory,

    /// <summary>Streamed to the stream <see cref="BulkOptions.BodySink"/> opens for it, such as a file.</summary>
    Sink,
}
