namespace Reprise.Scenarios.Reporting;

/// <summary>
/// One client with host coordination on against the same client off (its name with <see cref="OffSuffix"/>) in one
/// scenario, compared on the same results: where off gives up on URLs it ends sooner, so the fair question is how
/// soon on had as many ok URLs as off had at its end, and how many on had by the time off ended.
/// </summary>
internal sealed record OnAgainstOff
{
    public const string OffSuffix = "-off";

    public required string Scenario { get; init; }

    public required string On { get; init; }

    public required string Off { get; init; }

    public double WallOn { get; init; }

    public double WallOff { get; init; }

    public long RequestsOn { get; init; }

    public long RequestsOff { get; init; }

    public long OkOn { get; init; }

    public long OkOff { get; init; }

    /// <summary>Gets when on had as many ok URLs as off had at its end (0 when off had none); null if it never had.</summary>
    public double? OnTimeToOffOk { get; init; }

    /// <summary>Gets <see cref="OnTimeToOffOk"/> over off's wall time: no regret is at most 1.1.</summary>
    public double? RatioToOffWall => OnTimeToOffOk is { } t && WallOff > 0 ? t / WallOff : null;

    /// <summary>Gets how many URLs on had finished ok by off's wall time.</summary>
    public long OnOkByOffEnd { get; init; }

    /// <summary>Gets every pair of runs of one scenario whose clients are X and X-off, where both ran and X has its ok times.</summary>
    public static IEnumerable<OnAgainstOff> Pairs(IReadOnlyList<RunRecord> runs)
        => runs.SelectMany(on => runs.Where(off => off.Scenario == on.Scenario && off.Client == on.Client + OffSuffix).Select(off => From(on, off)))
            .OfType<OnAgainstOff>();

    /// <summary>Compares two runs; null if either has no report or on has no ok times (a run that failed, or the CLI).</summary>
    public static OnAgainstOff? From(RunRecord on, RunRecord off)
    {
        if (on.ClientReport is not { OkTimeline: { } timeline } onReport || off.ClientReport is not { } offReport)
        {
            return null;
        }

        return new OnAgainstOff
        {
            Scenario = on.Scenario,
            On = on.Client,
            Off = off.Client,
            WallOn = onReport.WallSeconds,
            WallOff = offReport.WallSeconds,
            RequestsOn = on.Server?.Requests ?? 0,
            RequestsOff = off.Server?.Requests ?? 0,
            OkOn = onReport.Succeeded,
            OkOff = offReport.Succeeded,
            // A bin's end may pass the run's end; the URL was done by then.
            OnTimeToOffOk = timeline.TimeToReach(offReport.Succeeded) is { } t ? Math.Min(t, onReport.WallSeconds) : null,
            OnOkByOffEnd = timeline.OkBy(offReport.WallSeconds),
        };
    }
}
