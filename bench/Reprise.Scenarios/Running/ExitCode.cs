namespace Reprise.Scenarios.Running;

/// <summary>The program's exit codes. Times never decide one: only whether every client ran and every URL got a result.</summary>
internal enum ExitCode
{
    Success = 0,

    /// <summary>A client did not run to the end, or some URL got no result.</summary>
    IncompleteRun = 1,

    /// <summary>The command line was wrong.</summary>
    UsageError = 2,

    /// <summary>Ctrl-C.</summary>
    Cancelled = 130,
}
