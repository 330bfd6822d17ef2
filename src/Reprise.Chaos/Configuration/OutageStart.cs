namespace Reprise.Chaos.Configuration;

/// <summary>When an outage window starts.</summary>
public enum OutageStart
{
    /// <summary>At the first request the outage sees. JSON: <c>"firstRequest"</c>.</summary>
    FirstRequest,

    /// <summary>When the server starts (or is reset). JSON: <c>"startup"</c>.</summary>
    Startup,
}
