namespace Reprise.Scenarios.Reporting;

/// <summary>What one client's child process measured and reports to the parent as one JSON line.</summary>
internal sealed class ClientReport
{
    public required string Scenario { get; init; }

    public required string Client { get; init; }

    public long Urls { get; init; }

    /// <summary>Gets the final status that counts as success in this scenario.</summary>
    public int ExpectedStatus { get; init; }

    /// <summary>Gets the URLs that got a result (a final status or an error); every one should.</summary>
    public long Results { get; init; }

    /// <summary>Gets the URLs whose final status is the scenario's expected one (or one it also expects).</summary>
    public long Succeeded { get; init; }

    /// <summary>Gets whether the client was stopped at the scenario's cap before every URL had a result.</summary>
    public bool Capped { get; init; }

    /// <summary>Gets the longest time one URL spent in the client, from when the client took it to its result.</summary>
    public double LongestSeconds { get; init; }

    /// <summary>Gets the deadline of one request in this scenario, for the clients that have one.</summary>
    public double DeadlineSeconds { get; init; }

    public Dictionary<string, long> Statuses { get; init; } = [];

    public Dictionary<string, long> Errors { get; init; } = [];

    /// <summary>Gets the time from the first request to the last result, warm-up excluded.</summary>
    public double WallSeconds { get; init; }

    /// <summary>Gets when each URL finished ok, from the same origin as <see cref="WallSeconds"/>; null for the CLI.</summary>
    public OkTimeline? OkTimeline { get; init; }

    /// <summary>Gets the process's working set after the client was built and warmed up, before the run.</summary>
    public long BaselineWorkingSetBytes { get; init; }

    /// <summary>Gets the peak working set of the whole child process (Linux VmHWM), runtime included.</summary>
    public long PeakWorkingSetBytes { get; init; }

    /// <summary>Gets the managed bytes allocated during the run.</summary>
    public long AllocatedBytes { get; init; }

    public int Gen0Collections { get; init; }

    public int Gen1Collections { get; init; }

    public int Gen2Collections { get; init; }
}
