namespace Reprise.Tests.Telemetry;

/// <summary>
/// Tests that listen to the process-wide <c>Reprise</c> activity source, or need that nobody does, run alone:
/// an <see cref="System.Diagnostics.ActivityListener"/> sees every test's activities.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ActivityListenerCollection
{
    public const string Name = "Activity listeners";
}
