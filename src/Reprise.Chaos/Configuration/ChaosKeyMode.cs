namespace Reprise.Chaos.Configuration;

/// <summary>What identifies "the same request" for per-key behaviours (sequences, seeded failures, hung first attempts).</summary>
public enum ChaosKeyMode
{
    /// <summary>The request path, for example <c>/flaky/17</c>. JSON: <c>"path"</c>.</summary>
    Path,

    /// <summary>The request path and query string, for example <c>/search?q=1</c>. JSON: <c>"pathAndQuery"</c>.</summary>
    PathAndQuery,

    /// <summary>The route itself: every request to the route shares one key. JSON: <c>"route"</c>.</summary>
    Route,
}
