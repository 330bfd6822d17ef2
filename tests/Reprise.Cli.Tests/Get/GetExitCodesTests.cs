using System.Net;
using Reprise.Cli.Get;

namespace Reprise.Cli.Tests.Get;

public class GetExitCodesTests
{
    [Theory]
    [InlineData(200, "final_status", 0)]
    [InlineData(302, "final_status", 0)]
    [InlineData(404, "final_status", 1)]
    [InlineData(503, "attempts_exhausted", 1)]
    [InlineData(503, "deadline", 4)]
    [InlineData(302, "too_many_redirects", 5)]
    [InlineData(200, "body_too_large", 5)]
    [InlineData(429, "retry_after_too_long", 5)]
    public void ForResponse_StatusAndStop_GiveTheDocumentedCode(int status, string stop, int expected)
        => Assert.Equal((ExitCode)expected, GetExitCodes.ForResponse((HttpStatusCode)status, stop));

    [Theory]
    [InlineData("attempts_exhausted", "connection_refused", false, 3)]
    [InlineData("attempts_exhausted", "timeout", false, 4)]
    [InlineData("deadline", "connection_reset", false, 4)]
    [InlineData(null, null, true, 4)]
    [InlineData("body_too_large", null, false, 5)]
    [InlineData(null, null, false, 3)]
    public void ForError_StopAndErrorType_GiveTheDocumentedCode(string? stop, string? errorType, bool timedOut, int expected)
        => Assert.Equal((ExitCode)expected, GetExitCodes.ForError(stop, errorType, timedOut));
}
