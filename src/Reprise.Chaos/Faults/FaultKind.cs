namespace Reprise.Chaos.Faults;

/// <summary>How an answer misbehaves at the transport level.</summary>
internal enum FaultKind
{
    /// <summary>A complete answer.</summary>
    None,

    /// <summary>No answer until the client disconnects.</summary>
    Hang,

    /// <summary>The connection is reset before any answer.</summary>
    Reset,

    /// <summary>The connection is closed (FIN) before any answer.</summary>
    Close,

    /// <summary>Fewer body bytes than the Content-Length, then the connection is aborted.</summary>
    CutShort,
}
