namespace Reprise.Cli.Console;

/// <summary>
/// The ids of the library's log events the command line listens to (src/Reprise/Telemetry/Log.cs): one copy, so the
/// live views of <c>get -v</c> and <c>fetch</c> cannot drift apart from each other.
/// </summary>
internal static class RepriseLogEvents
{
    public const int AttemptEnded = 1;
    public const int RetryScheduled = 2;
    public const int HostPaused = 10;
    public const int RetryThrottled = 11;
    public const int CircuitChanged = 12;
}
