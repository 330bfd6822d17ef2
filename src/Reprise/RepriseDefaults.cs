namespace Reprise;

/// <summary>The defaults of every option, in one place; docs/design.md gives the reasons.</summary>
internal static class RepriseDefaults
{
    public const int MaxAttempts = 4;
    public const int MaxAttemptsLimit = 100;
    public const long MaxReplayableBodySize = 1024 * 1024;
    public const long MaxBufferedResponseSize = 1024 * 1024;

    // The largest buffer a size option may ask for: one byte under the largest array, for the replay buffer's spare byte.
    public const long MaxBufferSize = 0x7FFFFFC6; // Array.MaxLength - 1

    // How long draining a discarded body may take; past it the connection is closed instead of reused.
    public static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(2);

    // The largest response body drained (read and dropped) before a retry so its connection can be reused.
    public const long DrainLimit = 64 * 1024;

    public static readonly TimeSpan BaseDelay = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan MaxRetryAfter = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    // Under dependency injection HttpClient.Timeout is set to the deadline plus this, so it never fires first.
    public static readonly TimeSpan HttpClientTimeoutMargin = TimeSpan.FromSeconds(1);

    // Bounds of the time options: a day is far beyond any sane retry wait or timeout.
    public static readonly TimeSpan MaxTimeOption = TimeSpan.FromDays(1);

    // An enum attribute cannot list the names itself; a test checks that this list is Enum.GetNames<BackoffType>().
    public const string BackoffTypeMessage = "The field {0} must be one of ExponentialWithJitter, Exponential, Constant, Linear, DecorrelatedJitter.";
}
