namespace Reprise.Chaos.Configuration;

/// <summary>The defaults of every chaos option, in one place; the XML docs of each option state them.</summary>
internal static class ChaosDefaults
{
    public const string HostName = "default";
    public const string RoutePath = "/";
    public const int Status = 200;
    public const int FailureStatus = 503;
    public const int FailingKeyAttempts = 1;
    public const int RetryAfterSeconds = 1;
    public const int OutageStatus = 503;
    public const int RateLimitBurst = 1;
    public const int OverloadStatus = 503;

    /// <summary>The Content-Length a cut-short response declares when the route has no body size.</summary>
    public const int CutShortMinimumLength = 1024;

    /// <summary>How many times a second a trickled body writes a chunk.</summary>
    public const int TrickleChunksPerSecond = 10;

    /// <summary>Upper bound of a body size: 1 GiB, written from a shared buffer.</summary>
    public const int MaxBodySize = 1 << 30;

    /// <summary>How long stopping the server waits for requests before aborting their connections.</summary>
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(2);
}
