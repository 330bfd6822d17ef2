using System.Net;

namespace Reprise.Cli.Get;

/// <summary>
/// The exit code of <c>reprise get</c>, from how the call ended: docs/cli.md has the table. Pure, so that every row
/// is tested without a server.
/// </summary>
internal static class GetExitCodes
{
    /// <summary>Stop names (<see cref="StopNames"/>) that mean a limit of the client was hit.</summary>
    private static readonly HashSet<string> LimitStops = new(StringComparer.Ordinal)
    {
        "too_many_redirects",
        "redirect_loop",
        "redirect_not_allowed",
        "insecure_redirect",
        "body_too_large",
        "retry_after_too_long",
    };

    /// <summary>For a call that returned a response: its status, and the stop name of the retry history.</summary>
    public static ExitCode ForResponse(HttpStatusCode status, string stop)
    {
        if (LimitStops.Contains(stop))
        {
            return ExitCode.LimitHit;
        }

        if (stop == "deadline")
        {
            return ExitCode.Timeout;
        }

        // A 3xx that came back is the answer: following was off, or the status has no Location to follow.
        return (int)status is >= 200 and < 400 ? ExitCode.Success : ExitCode.SomeFailed;
    }

    /// <summary>For a call that ended without a response: the stop name (null when unknown) and the last error's type.</summary>
    public static ExitCode ForError(string? stop, string? errorType, bool timedOut)
    {
        if (stop is not null && LimitStops.Contains(stop))
        {
            return ExitCode.LimitHit;
        }

        if (timedOut || stop == "deadline" || errorType is "timeout")
        {
            return ExitCode.Timeout;
        }

        return ExitCode.TransportFailure;
    }
}
