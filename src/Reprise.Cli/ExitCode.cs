namespace Reprise.Cli;

/// <summary>The process exit codes of <c>reprise</c>; docs/cli.md lists them.</summary>
internal enum ExitCode
{
    /// <summary>Every request succeeded (or the server ran until it was stopped).</summary>
    Success = 0,

    /// <summary>The command ran, but some request failed: a final error status, exhausted attempts, an invalid input line; for <c>get</c>, a final error status or attempts exhausted on one.</summary>
    SomeFailed = 1,

    /// <summary>The command line or its input is wrong: an unknown option, a bad value, a malformed URL given to <c>get</c>.</summary>
    UsageError = 2,

    /// <summary><c>get</c>: no response came: the connection was refused or reset, DNS or TLS failed.</summary>
    TransportFailure = 3,

    /// <summary><c>get</c>: an attempt timed out, or the deadline ended the call.</summary>
    Timeout = 4,

    /// <summary><c>get</c>: a limit of the client was hit: too many redirects, a body too large, a Retry-After too long.</summary>
    LimitHit = 5,

    /// <summary>Interrupted by Ctrl-C (128 + SIGINT, as shells report it).</summary>
    Interrupted = 130,
}
