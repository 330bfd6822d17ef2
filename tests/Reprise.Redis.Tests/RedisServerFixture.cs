using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Garnet;
using Reprise.Redis;
using StackExchange.Redis;

namespace Reprise.Redis.Tests;

/// <summary>A Redis-protocol server on a free 127.0.0.1 port: Garnet in-process (Lua on), or a redis-server from PATH.</summary>
public abstract class RedisServerFixture : IDisposable
{
    protected RedisServerFixture()
    {
        Port = FreePort();
    }

    public int Port { get; private set; }

    public string Configuration => $"127.0.0.1:{Port}";

    public abstract bool IsAvailable { get; }

    /// <summary>
    /// Connects as the library does, then waits (real time, bounded) until the connection is made: it gives up connecting
    /// in the foreground after 1 s and fails calls at once until it is made, which a loaded machine can take longer for,
    /// and a test's first calls must not fall back for it.
    /// </summary>
    public IConnectionMultiplexer Connect()
    {
        var connection = RedisConnections.Connect(Configuration);
        var watch = Stopwatch.StartNew();
        while (!connection.IsConnected && watch.Elapsed < TimeSpan.FromSeconds(30))
        {
            Thread.Sleep(10); // Waiting for a connection to be made: not a timing assertion.
        }

        return connection;
    }

    /// <summary>Stops the server (a failure mid-run); <see cref="Start"/> brings it back on the same port.</summary>
    public abstract void Stop();

    public abstract void Start();

    public void Dispose()
    {
        Stop();
        GC.SuppressFinalize(this);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>Garnet, in this process: Lua on, and run as transactions (Garnet runs scripts unlocked otherwise, so they are not atomic).</summary>
public sealed class GarnetFixture : RedisServerFixture
{
    private GarnetServer? _server;

    public GarnetFixture() => Start();

    public override bool IsAvailable => true;

    public override void Start()
    {
        _server = new GarnetServer(["--bind", "127.0.0.1", "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--lua", "--lua-transaction-mode", "--memory", "64m", "--index", "1m"]);
        _server.Start();
    }

    public override void Stop()
    {
        _server?.Dispose();
        _server = null;
    }
}

/// <summary>A redis-server binary from PATH, when there is one.</summary>
public sealed class RedisBinaryFixture : RedisServerFixture
{
    private static readonly string? Binary = FindBinary();
    private Process? _process;

    public RedisBinaryFixture()
    {
        if (Binary is not null)
        {
            Start();
        }
    }

    public override bool IsAvailable => Binary is not null;

    public override void Start()
    {
        var info = new ProcessStartInfo(Binary!, $"--bind 127.0.0.1 --port {Port} --save \"\" --appendonly no")
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        _process = Process.Start(info);
        for (int i = 0; i < 100; i++)
        {
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                Thread.Sleep(50); // Waiting for a child process to listen: not a timing assertion.
            }
        }
    }

    public override void Stop()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            _process.WaitForExit();
        }

        _process?.Dispose();
        _process = null;
    }

    private static string? FindBinary() =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, "redis-server"))
            .FirstOrDefault(File.Exists);
}
