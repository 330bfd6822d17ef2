using System.Net;
using Microsoft.Extensions.Time.Testing;
using Reprise.Chaos;
using Reprise.Chaos.Configuration;
using Reprise.Responses;
using Reprise.Tests.TestSupport;
using Reprise.Transport;

namespace Reprise.Tests.Transport;

/// <summary>The body of a response the handler returned unread: bounded by the deadline and the size limit.</summary>
public class BodyBoundsOverSocketsTests
{
    [Fact]
    public async Task ReadAsStream_TrickledBodyPastTheDeadline_FailsAtTheDeadline()
    {
        await using var server = await ChaosServer.StartAsync(new ChaosHostOptions
        {
            Routes = { new ChaosRouteOptions { BodySize = 2 * 1024 * 1024, TrickleBytesPerSecond = 1000 } },
        });
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var options = new RepriseOptions { Deadline = TimeSpan.FromSeconds(10) };
        using var client = new HttpClient(new RepriseHandler(new RepriseTransportHandler(new SocketsHttpHandler(), new RedirectOptions()), options, timeProvider: time));

        using var response = await client.GetAsync(server.GetUri("/slow"), HttpCompletionOption.ResponseHeadersRead);
        await using var body = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[4096];
        Assert.True(await body.ReadAsync(buffer) > 0);
        var pending = body.ReadAsync(buffer).AsTask();
        time.AdvanceInline(TimeSpan.FromSeconds(11));
        var error = await Record.ExceptionAsync(async () =>
        {
            await pending;
            while (await body.ReadAsync(buffer) > 0)
            {
            }
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var cancelled = Assert.IsType<TaskCanceledException>(error);
        Assert.IsType<TimeoutException>(cancelled.InnerException);
    }

    [Fact]
    public async Task ReadAsStream_CompressedBodyPastMaxResponseBodySize_FailsAsTooLarge()
    {
        await using var server = await ChaosServer.StartAsync(new ChaosHostOptions
        {
            Routes = { new ChaosRouteOptions { Gzip = true, BodySize = 8 * 1024 * 1024 } },
        });
        var options = new RepriseOptions { MaxResponseBodySize = 1024 * 1024 };
        var sockets = new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.All };
        using var client = new HttpClient(new RepriseHandler(new RepriseTransportHandler(sockets, new RedirectOptions()), options));

        using var response = await client.GetAsync(server.GetUri("/bomb"), HttpCompletionOption.ResponseHeadersRead);
        await using var body = await response.Content.ReadAsStreamAsync();
        var error = await Record.ExceptionAsync(() => body.CopyToAsync(Stream.Null));

        var tooLarge = Assert.IsType<ResponseBodyTooLargeException>(error);
        Assert.Equal(1024 * 1024, tooLarge.Limit);
    }
}
