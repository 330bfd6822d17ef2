using System.Net;
using System.Net.Sockets;
using Reprise.Cli.Tests.TestSupport;

namespace Reprise.Cli.Tests.Get;

/// <summary>curl's <c>-k</c> and <c>--connect-timeout</c>, against real sockets on 127.0.0.1.</summary>
public class GetTransportOptionTests
{
    [Fact]
    public async Task Get_SelfSignedCertificate_FailsWithoutInsecureAndSucceedsWithIt()
    {
        await using var server = new TlsServer();

        var refused = await CliRun.RunAsync("get", server.Url("/a"), "--max-attempts", "1");
        var insecure = await CliRun.RunAsync("get", server.Url("/b"), "-k");

        Assert.Equal(ExitCode.TransportFailure, refused.ExitCode);
        Assert.Equal(ExitCode.Success, insecure.ExitCode);
        Assert.Equal("ok", insecure.StdoutText);
        Assert.Equal(1, server.Requests); // only -k's request got past the handshake
    }

    [Fact]
    public async Task Get_ConnectTimeout_EndsAConnectionThatNeverOpens()
    {
        // A listener that never accepts, its accept queue filled: the kernel drops further handshakes, so connecting hangs.
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var endpoint = (IPEndPoint)listener.LocalEndPoint!;
        var fillers = new List<Socket>();
        try
        {
            for (int i = 0; i < 4; i++)
            {
                var filler = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                fillers.Add(filler);
                using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
                try
                {
                    await filler.ConnectAsync(endpoint, cts.Token);
                }
                catch (OperationCanceledException)
                {
                    break; // the queue is full
                }
            }

            var result = await CliRun.RunAsync(
                "get", $"http://127.0.0.1:{endpoint.Port}/", "--connect-timeout", "300ms", "--max-attempts", "1", "--attempt-timeout", "60s", "--deadline", "20s");

            // Only the connect timeout ends the attempt before the deadline: without it the stop would be "deadline".
            Assert.Equal(ExitCode.Timeout, result.ExitCode);
            Assert.Contains("(attempts_exhausted)", result.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            fillers.ForEach(static s => s.Dispose());
        }
    }
}
