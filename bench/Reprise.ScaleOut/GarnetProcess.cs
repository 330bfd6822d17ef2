using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Garnet;

namespace Reprise.ScaleOut;

/// <summary>Garnet in a process of its own: Lua on, scripts run as transactions (atomic), until its stdin closes.</summary>
internal sealed class GarnetProcess : IDisposable
{
    private readonly Process _process;

    private GarnetProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public static void Serve(int port)
    {
        using var server = new GarnetServer(["--bind", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture),
            "--lua", "--lua-transaction-mode", "--memory", "256m", "--index", "16m"]);
        server.Start();
        Console.Out.WriteLine("ready");
        Console.Out.Flush();

        // The parent closes our stdin (or dies): then stop.
        while (Console.In.ReadLine() is not null)
        {
        }
    }

    public static async Task<GarnetProcess> StartAsync()
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        var start = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(typeof(GarnetProcess).Assembly.Location);
        start.ArgumentList.Add("--garnet");
        start.ArgumentList.Add(port.ToString(CultureInfo.InvariantCulture));
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start Garnet.");
        using var ready = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        // Garnet prints a banner first; ours comes once it listens.
        string? line;
        while ((line = await process.StandardOutput.ReadLineAsync(ready.Token)) is not null && line != "ready")
        {
        }

        if (line is null)
        {
            process.Kill();
            throw new InvalidOperationException("Garnet did not start.");
        }

        _ = process.StandardOutput.ReadToEndAsync(CancellationToken.None); // Keep the pipe drained.

        return new GarnetProcess(process, port);
    }

    public void Dispose()
    {
        _process.StandardInput.Close();
        if (!_process.WaitForExit(5000))
        {
            _process.Kill(); // Our own child, by its handle.
        }

        _process.Dispose();
    }
}
