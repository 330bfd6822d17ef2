using System.Net;
using Reprise.Chaos.Configuration;

namespace Reprise.Chaos.Tests.Faults;

public sealed class SequenceTests
{
    [Fact]
    public async Task Sequence_503503200_KeyFailsTwiceThenSucceedsAndLastRepeats()
    {
        await using var server = await ChaosServer.StartAsync(new ChaosHostOptions
        {
            Routes = { new ChaosRouteOptions { Path = "/flaky", Sequence = "503,503,200" } },
        });
        using var client = new HttpClient { BaseAddress = server.BaseAddress };

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            using var response = await client.GetAsync("/flaky/17");
            statuses.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.ServiceUnavailable, HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK, HttpStatusCode.OK], statuses);
    }
}
