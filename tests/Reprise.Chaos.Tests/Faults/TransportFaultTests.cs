using System.Net;
using Reprise.Chaos.Configuration;
using Reprise.Chaos.Faults;

namespace Reprise.Chaos.Tests.Faults;

public sealed class TransportFaultTests
{
    [Fact]
    public async Task Reset_Request_ClientGetsHttpRequestExceptionAndServerCountsIt()
    {
        await using var server = await ChaosServer.StartAsync(new ChaosHostOptions
        {
            Routes = { new ChaosRouteOptions { Path = "/reset", Reset = true } },
        });
        using var client = new HttpClient { BaseAddress = server.BaseAddress };

        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync("/reset/1"));

        Assert.Equal(1, server.Stats.Routes["/reset"].Resets);
        Assert.Empty(server.Stats.Statuses);
    }

    [Fact]
    public async Task CutShort_Body_HeadersAndHalfTheBodyArriveThenReadingFails()
    {
        await using var server = await ChaosServer.StartAsync(new ChaosHostOptions
        {
            Routes = { new ChaosRouteOptions { CutShort = true, BodySize = 100_000 } },
        });
        using var client = new HttpClient { BaseAddress = server.BaseAddress };

        using var response = await client.GetAsync("/cut", HttpCompletionOption.ResponseHeadersRead);
        await using var body = await response.Content.ReadAsStreamAsync();
        var received = 0L;
        var buffer = new byte[16 * 1024];
        var error = await Record.ExceptionAsync(async () =>
        {
            int read;
            while ((read = await body.ReadAsync(buffer)) > 0)
            {
                received += read;
            }
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(100_000, response.Content.Headers.ContentLength);
        Assert.IsAssignableFrom<IOException>(error);
        Assert.Equal(50_000, received);
        Assert.Equal(1, server.Stats.Routes["/"].CutShort);
    }

    [Fact]
    public async Task CutShort_BufferedRead_HttpRequestException()
    {
        await using var server = await ChaosServer.StartAsync(new ChaosHostOptions
        {
            Routes = { new ChaosRouteOptions { CutShort = true } },
        });
        using var client = new HttpClient { BaseAddress = server.BaseAddress };

        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync("/cut"));
    }

    [Fact]
    public async Task Trickle_Body_ArrivesCompleteAndIntact()
    {
        await using var server = await ChaosServer.StartAsync(new ChaosHostOptions
        {
            Routes = { new ChaosRouteOptions { BodySize = 300, TrickleBytesPerSecond = 3000 } },
        });
        using var client = new HttpClient { BaseAddress = server.BaseAddress };

        var body = await client.GetByteArrayAsync("/slow-body");

        Assert.Equal(Expected(300), body);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(64)]
    [InlineData(100_000)]
    public async Task BodySize_Size_BodyHasThatManyDeterministicBytes(int size)
    {
        await using var server = await ChaosServer.StartAsync(new ChaosHostOptions
        {
            Routes = { new ChaosRouteOptions { BodySize = size } },
        });
        using var client = new HttpClient { BaseAddress = server.BaseAddress };

        using var response = await client.GetAsync("/body");
        var body = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(size, response.Content.Headers.ContentLength);
        Assert.Equal(Expected(size), body);
    }

    [Fact]
    public async Task BodySize_Status204_NoBody()
    {
        await using var server = await ChaosServer.StartAsync(new ChaosHostOptions
        {
            Routes = { new ChaosRouteOptions { Status = 204, BodySize = 100 } },
        });
        using var client = new HttpClient { BaseAddress = server.BaseAddress };

        using var response = await client.GetAsync("/body");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    private static byte[] Expected(int size)
        => Enumerable.Range(0, size).Select(static i => (byte)ChaosBody.Alphabet[i % ChaosBody.Alphabet.Length]).ToArray();
}
