namespace Reprise.Cli.Fetch;

/// <summary>The defaults of <c>reprise fetch</c>'s own options, in one place.</summary>
internal static class FetchDefaults
{
    /// <summary>Requests in flight at once, across every host.</summary>
    public const int Concurrency = 64;

    /// <summary>Requests in flight at once to one host: the ceiling of the host's adaptive limit.</summary>
    public const int PerHost = 16;

    public const int MaxConcurrency = 10_000;

    /// <summary>How often a progress line is written when stderr is not a terminal (CI logs, nohup).</summary>
    public static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(5);

    /// <summary>How often the live display is redrawn.</summary>
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromMilliseconds(250);
}
