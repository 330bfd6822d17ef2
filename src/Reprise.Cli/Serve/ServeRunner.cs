using System.Globalization;
using System.Text;
using Reprise.Chaos;
using Reprise.Chaos.Configuration;
using Reprise.Cli.Console;
using Reprise.Cli.Demo;

namespace Reprise.Cli.Serve;

/// <summary>Does the work of <c>reprise serve</c>: runs the chaos server until cancelled, printing each host's address.</summary>
internal sealed class ServeRunner
{
    private readonly CliConsole _console;

    public ServeRunner(CliConsole console)
    {
        _console = console;
    }

    /// <param name="configPath">A chaos JSON file (docs/chaos.md), or null for the demo's mix of hosts.</param>
    /// <param name="port">The first host's port; host i listens on port + i. Zero: free ports, and the config's own ports are kept.</param>
    /// <param name="cancellationToken">Stops the server (Ctrl-C).</param>
    public async Task<ExitCode> RunAsync(string? configPath, int port, CancellationToken cancellationToken)
    {
        ChaosOptions options;
        try
        {
            options = configPath is null ? DemoScenario.CreateOptions() : ChaosOptions.Load(configPath);
        }
        catch (Exception ex) when (ex is ChaosOptionsException or IOException or UnauthorizedAccessException)
        {
            _console.WriteError($"--config: {ex.Message.ReplaceLineEndings(" ")}");
            return ExitCode.UsageError;
        }

        if (port != 0)
        {
            for (var i = 0; i < options.Hosts.Count; i++)
            {
                options.Hosts[i].Port = port + i;
            }
        }

        ChaosServer server;
        try
        {
            server = await ChaosServer.StartAsync(options, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return ExitCode.Interrupted;
        }
        catch (Exception ex) when (ex is IOException or ChaosOptionsException)
        {
            // Kestrel reports a port in use as an IOException.
            _console.WriteError($"cannot start the chaos server: {ex.Message.ReplaceLineEndings(" ")}");
            return ExitCode.UsageError;
        }

        await using (server.ConfigureAwait(false))
        {
            // Once the server is up, Ctrl-C is a normal stop even while the addresses are still being written.
            await WriteHostsAsync(server, options, CancellationToken.None).ConfigureAwait(false);
            await _console.Error.WriteLineAsync("Serving; press Ctrl-C to stop.").ConfigureAwait(false);
            await _console.Error.FlushAsync(CancellationToken.None).ConfigureAwait(false);

            var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using (cancellationToken.Register(static state => ((TaskCompletionSource)state!).TrySetResult(), stopped))
            {
                await stopped.Task.ConfigureAwait(false);
            }
        }

        // Ctrl-C is how a server is meant to stop: that is success, not an interruption of work.
        await _console.Error.WriteLineAsync("Stopped.").ConfigureAwait(false);
        return ExitCode.Success;
    }

    private async Task WriteHostsAsync(ChaosServer server, ChaosOptions options, CancellationToken cancellationToken)
    {
        // The addresses are data (a script may read them): one host a line on stdout, "name<TAB>address<TAB>routes".
        var text = new StringBuilder();
        foreach (var hostOptions in options.Hosts)
        {
            var host = server.Hosts[hostOptions.Name];
            var routes = string.Join(" ", hostOptions.Routes.Select(static r => r.Path));
            text.Append(CultureInfo.InvariantCulture, $"{host.Name}\t{host.BaseAddress}\t{routes}\n");
        }

        var bytes = Encoding.UTF8.GetBytes(text.ToString());
        await _console.Output.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
        await _console.Output.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}
