using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Garnet;

namespace Reprise.Cli.Tests.Sharing;

/// <summary>
/// A Redis-protocol server in this process on a free 127.0.0.1 port: Garnet with Lua scripts run as transactions (as
/// tests/Reprise.Redis.Tests starts it; without the second flag Garnet runs scripts unlocked).
/// </summary>
public sealed class GarnetFixture : IDisposable
{
    private readonly GarnetServer _server;

    public GarnetFixture()
    {
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        _server = new GarnetServer(["--bind", "127.0.0.1", "--port", Port.ToString(CultureInfo.InvariantCulture),
            "--lua", "--lua-transaction-mode", "--memory", "64m", "--index", "1m"]);
        _server.Start();

        // The server's first answers (its Lua engine's start among them) are slow: give them before any test times a call.
        using var connection = StackExchange.Redis.ConnectionMultiplexer.Connect(Configuration);
        connection.GetDatabase().ScriptEvaluate("return redis.call('PING')");
    }

    public int Port { get; }

    public string Configuration => $"127.0.0.1:{Port}";

    public void Dispose() => _server.Dispose();
}
