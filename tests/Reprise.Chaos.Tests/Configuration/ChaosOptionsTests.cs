using Reprise.Chaos.Configuration;

namespace Reprise.Chaos.Tests.Configuration;

public sealed class ChaosOptionsTests
{
    private const string Full = """
        {
          // Comments and trailing commas are allowed.
          "hosts": [
            {
              "name": "api",
              "port": 0,
              "rateLimit": { "requestsPerSecond": 5, "burst": 10, "retryAfterFormat": "httpDate" },
              "outage": { "durationMs": 2000, "start": "startup", "status": 502, "retryAfterSeconds": 1 },
              "routes": [
                {
                  "path": "/flaky",
                  "status": 200,
                  "sequence": "503,503,200",
                  "key": "pathAndQuery",
                  "seed": 42,
                  "failureProbability": 0.25,
                  "failingKeyFraction": 0.4,
                  "failingKeyAttempts": 2,
                  "failureStatus": 500,
                  "retryAfter": { "seconds": 3, "format": "httpDate", "statuses": [503, 429] },
                  "latencyMs": 5,
                  "latencyMaxMs": 20,
                  "hang": false,
                  "hangFirst": 1,
                  "reset": false,
                  "cutShort": true,
                  "trickleBytesPerSecond": 1000,
                  "bodySize": 4096,
                  "rateLimit": { "requestsPerSecond": 0.5 },
                  "outage": { "durationMs": 300 },
                },
              ],
            },
            { "name": "second" },
          ],
        }
        """;

    [Fact]
    public void Parse_EveryField_ReadIntoTheOptions()
    {
        var options = ChaosOptions.Parse(Full);

        Assert.Equal(2, options.Hosts.Count);
        var host = options.Hosts[0];
        Assert.Equal("api", host.Name);
        Assert.Equal(5, host.RateLimit!.RequestsPerSecond);
        Assert.Equal(10, host.RateLimit.Burst);
        Assert.Equal(RetryAfterFormat.HttpDate, host.RateLimit.RetryAfterFormat);
        Assert.Equal(2000, host.Outage!.DurationMs);
        Assert.Equal(OutageStart.Startup, host.Outage.Start);
        Assert.Equal(502, host.Outage.Status);
        Assert.Equal(1, host.Outage.RetryAfterSeconds);
        var route = Assert.Single(host.Routes);
        Assert.Equal("/flaky", route.Path);
        Assert.Equal("503,503,200", route.Sequence);
        Assert.Equal(ChaosKeyMode.PathAndQuery, route.Key);
        Assert.Equal(42, route.Seed);
        Assert.Equal(0.25, route.FailureProbability);
        Assert.Equal(0.4, route.FailingKeyFraction);
        Assert.Equal(2, route.FailingKeyAttempts);
        Assert.Equal(500, route.FailureStatus);
        Assert.Equal(3, route.RetryAfter!.Seconds);
        Assert.Equal(RetryAfterFormat.HttpDate, route.RetryAfter.Format);
        Assert.Equal([503, 429], route.RetryAfter.Statuses);
        Assert.Equal(5, route.LatencyMs);
        Assert.Equal(20, route.LatencyMaxMs);
        Assert.Equal(1, route.HangFirst);
        Assert.True(route.CutShort);
        Assert.Equal(1000, route.TrickleBytesPerSecond);
        Assert.Equal(4096, route.BodySize);
        Assert.Equal(0.5, route.RateLimit!.RequestsPerSecond);
        Assert.Equal(1, route.RateLimit.Burst);
        Assert.Equal(300, route.Outage!.DurationMs);
        Assert.Equal(OutageStart.FirstRequest, route.Outage.Start);
        Assert.Equal("second", options.Hosts[1].Name);
        Assert.Empty(options.Hosts[1].Routes);
    }

    [Fact]
    public void Parse_Defaults_MatchTheDocumentedDefaults()
    {
        var options = ChaosOptions.Parse("""{ "hosts": [ { "routes": [ {} ] } ] }""");

        var host = Assert.Single(options.Hosts);
        Assert.Equal("default", host.Name);
        Assert.Equal(0, host.Port);
        var route = Assert.Single(host.Routes);
        Assert.Equal("/", route.Path);
        Assert.Equal(200, route.Status);
        Assert.Equal(503, route.FailureStatus);
        Assert.Equal(1, route.FailingKeyAttempts);
        Assert.Equal(ChaosKeyMode.Path, route.Key);
        Assert.Null(route.RetryAfter);
    }

    [Theory]
    [InlineData("""{ "hosts": [] }""", "hosts must name at least one host.")]
    [InlineData("""{ "hosts": [ {}, {} ] }""", "hosts[1].name 'default' is used by another host.")]
    [InlineData("""{ "hosts": [ { "port": 70000 } ] }""", "hosts[0].port must be between 0 and 65535; it was 70000.")]
    [InlineData("""{ "hosts": [ { "routes": [ { "path": "flaky" } ] } ] }""", "hosts[0].routes[0].path must start with '/'; it was 'flaky'.")]
    [InlineData("""{ "hosts": [ { "routes": [ { "path": "/_chaos/x" } ] } ] }""", "hosts[0].routes[0].path must not be under /_chaos, which serves the statistics.")]
    [InlineData("""{ "hosts": [ { "routes": [ { "path": "/a" }, { "path": "/a/" } ] } ] }""", "hosts[0].routes[1].path '/a/' is served by another route of the host.")]
    [InlineData("""{ "hosts": [ { "routes": [ { "status": 99 } ] } ] }""", "hosts[0].routes[0].status must be between 100 and 599; it was 99.")]
    [InlineData("""{ "hosts": [ { "routes": [ { "sequence": "503,oops,200" } ] } ] }""", "hosts[0].routes[0].sequence entry 'oops' is not a status (100-599), 'reset', 'hang' or 'cut'.")]
    [InlineData("""{ "hosts": [ { "routes": [ { "failureProbability": 1.5 } ] } ] }""", "hosts[0].routes[0].failureProbability must be between 0 and 1; it was 1.5.")]
    [InlineData("""{ "hosts": [ { "routes": [ { "failingKeyAttempts": 0 } ] } ] }""", "hosts[0].routes[0].failingKeyAttempts must be at least 1; it was 0.")]
    [InlineData("""{ "hosts": [ { "routes": [ { "latencyMs": 50, "latencyMaxMs": 10 } ] } ] }""", "hosts[0].routes[0].latencyMaxMs must be at least 50; it was 10.")]
    [InlineData("""{ "hosts": [ { "routes": [ { "reset": true, "cutShort": true } ] } ] }""", "hosts[0].routes[0].reset and hosts[0].routes[0].cutShort cannot both be true.")]
    [InlineData("""{ "hosts": [ { "routes": [ { "retryAfter": { "statuses": [ 700 ] } } ] } ] }""", "hosts[0].routes[0].retryAfter.statuses[0] must be between 100 and 599; it was 700.")]
    [InlineData("""{ "hosts": [ { "rateLimit": { "requestsPerSecond": 0 } } ] }""", "hosts[0].rateLimit.requestsPerSecond must be more than 0; it was 0.")]
    [InlineData("""{ "hosts": [ { "routes": [ { "outage": { "durationMs": 0 } } ] } ] }""", "hosts[0].routes[0].outage.durationMs must be at least 1; it was 0.")]
    [InlineData("""{ "hosts": [ { "capacity": { "serviceMs": 50 }, "routes": [ {} ] } ] }""", "hosts[0].capacity.limit must be at least 1; it was 0.")]
    [InlineData("""{ "hosts": [ { "capacity": { "limit": 20, "serviceMs": -1 }, "routes": [ {} ] } ] }""", "hosts[0].capacity.serviceMs must be at least 0; it was -1.")]
    [InlineData("""{ "hosts": [ { "capacity": { "limit": 20, "status": 99 }, "routes": [ {} ] } ] }""", "hosts[0].capacity.status must be between 100 and 599; it was 99.")]
    [InlineData("""{ "hosts": [ { "capacity": { "limit": 20, "retryAfterSeconds": -1 }, "routes": [ {} ] } ] }""", "hosts[0].capacity.retryAfterSeconds must be at least 0; it was -1.")]
    public void Parse_ValueOutOfRange_ThrowsNamingTheField(string json, string message)
    {
        var error = Assert.Throws<ChaosOptionsException>(() => ChaosOptions.Parse(json));

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Parse_UnknownField_ThrowsNamingTheFieldAndItsPlace()
    {
        var error = Assert.Throws<ChaosOptionsException>(() => ChaosOptions.Parse("""{ "hosts": [ { "routes": [ { "stauts": 503 } ] } ] }"""));

        Assert.StartsWith("Chaos options are not valid at hosts[0].routes[0].stauts: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("'stauts'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_WrongType_ThrowsNamingTheField()
    {
        var error = Assert.Throws<ChaosOptionsException>(() => ChaosOptions.Parse("""{ "hosts": [ { "routes": [ { "status": "teapot" } ] } ] }"""));

        Assert.StartsWith("Chaos options are not valid at hosts[0].routes[0].status: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_Null_ThrowsSayingSo()
    {
        var error = Assert.Throws<ChaosOptionsException>(() => ChaosOptions.Parse("null"));

        Assert.Equal("Chaos options must be a JSON object, not null.", error.Message);
    }

    [Fact]
    public void Load_File_ReadsIt()
    {
        var path = Path.Combine(Path.GetTempPath(), $"chaos-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, Full);
        try
        {
            var options = ChaosOptions.Load(path);

            Assert.Equal("api", options.Hosts[0].Name);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task StartAsync_LoadedOptions_ServesThem()
    {
        var options = ChaosOptions.Parse("""{ "hosts": [ { "name": "x", "routes": [ { "path": "/flaky", "sequence": "503,200" } ] } ] }""");
        await using var server = await ChaosServer.StartAsync(options);
        using var client = new HttpClient { BaseAddress = server.Hosts["x"].BaseAddress };

        var statuses = await Faults.SequenceTests.GetStatusesAsync(client, "/flaky/1", "/flaky/1");

        Assert.Equal([503, 200], statuses);
    }
}
