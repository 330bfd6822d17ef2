using Reprise.Bench.Clients;

namespace Reprise.Scenarios.Scenarios;

/// <summary>The settings every client shares in one run: the full run, or the small <c>--quick</c> one.</summary>
internal sealed class RunProfile
{
    private RunProfile(bool quick)
    {
        Quick = quick;
        Retry = new RetrySettings
        {
            MaxAttempts = 4,
            BaseDelay = TimeSpan.FromSeconds(1),
            AttemptTimeout = quick ? TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(2),
            Deadline = quick ? TimeSpan.FromSeconds(4) : TimeSpan.FromSeconds(25),
        };
        ClientTimeout = quick ? TimeSpan.FromSeconds(5) : TimeSpan.FromSeconds(30);
        ChildTimeout = quick ? TimeSpan.FromSeconds(60) : TimeSpan.FromMinutes(15);
    }

    public static RunProfile Full { get; } = new(quick: false);

    public static RunProfile QuickRun { get; } = new(quick: true);

    public bool Quick { get; }

    public string Name => Quick ? "quick" : "full";

    /// <summary>Gets the one global concurrency of every client but the naive loop, which has none.</summary>
    public int Concurrency => 50;

    /// <summary>Gets the retry settings: 4 attempts, 1 s base delay, attempt timeout and deadline.</summary>
    public RetrySettings Retry { get; }

    /// <summary>Gets <see cref="HttpClient.Timeout"/> of every client: above the deadline, so the deadlines fire first.</summary>
    public TimeSpan ClientTimeout { get; }

    /// <summary>Gets how long one client's run may take before its child process is killed and the client counts as not run.</summary>
    public TimeSpan ChildTimeout { get; }

    public static RunProfile For(bool quick) => quick ? QuickRun : Full;
}
