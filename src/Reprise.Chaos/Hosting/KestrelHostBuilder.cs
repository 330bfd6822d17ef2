using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Reprise.Chaos.Configuration;

namespace Reprise.Chaos.Hosting;

/// <summary>
/// Builds one minimal Kestrel application with one listener per chaos host; a connection middleware tags each
/// connection with its host, so requests are dispatched by the listener they arrived on.
/// </summary>
internal static class KestrelHostBuilder
{
    public static Built Build(ChaosOptions options, TimeProvider time)
    {
        var stopping = new CancellationTokenSource();
        var engines = options.Hosts.Select(h => new HostEngine(h, time, stopping.Token)).ToArray();
        var listeners = new ListenOptions[engines.Length];

        // The empty builder reads no configuration, registers no logging provider and no hosting extras: quiet and fast.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;

            // A trickled body may be slower than Kestrel's minimum data rate on purpose; slow clients are not our concern.
            kestrel.Limits.MinResponseDataRate = null;
            kestrel.Limits.MinRequestBodyDataRate = null;
            for (var i = 0; i < engines.Length; i++)
            {
                var engine = engines[i];
                var index = i;
                kestrel.Listen(IPAddress.Loopback, options.Hosts[i].Port, listen =>
                {
                    listeners[index] = listen;
                    listen.Protocols = HttpProtocols.Http1;
                    listen.Use(next => connection =>
                    {
                        engine.Counters.ConnectionOpened();
                        connection.Items[typeof(HostEngine)] = engine;
                        return engine.HasRawRoutes ? RawResponder.HandleAsync(connection, engine, next) : next(connection);
                    });
                });
            }
        });
        builder.Services.Configure<HostOptions>(static o => o.ShutdownTimeout = ChaosDefaults.ShutdownTimeout);

        var app = builder.Build();
        app.Run(static context =>
        {
            var items = context.Features.Get<IConnectionItemsFeature>()?.Items;
            if (items is not null && items.TryGetValue(typeof(HostEngine), out var engine) && engine is HostEngine host)
            {
                return host.HandleAsync(context);
            }

            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            return Task.CompletedTask;
        });

        return new Built(app, engines, listeners, stopping);
    }

    /// <summary>The application, its hosts' engines and listeners, and what stops their waits.</summary>
    internal sealed class Built(WebApplication app, HostEngine[] engines, ListenOptions[] listeners, CancellationTokenSource stopping)
        : IAsyncDisposable
    {
        public WebApplication App { get; } = app;

        public HostEngine[] Engines { get; } = engines;

        /// <summary>The port listener <paramref name="index"/> is bound to; Kestrel writes the real one back for port 0.</summary>
        public int BoundPort(int index) => ((IPEndPoint)listeners[index].EndPoint).Port;

        public async Task StopAsync()
        {
            // End hangs, latencies and trickles first, so that stopping does not wait for them.
            await stopping.CancelAsync().ConfigureAwait(false);
            using var timeout = new CancellationTokenSource(ChaosDefaults.ShutdownTimeout);
            await App.StopAsync(timeout.Token).ConfigureAwait(false);
        }

        public async ValueTask DisposeAsync()
        {
            await App.DisposeAsync().ConfigureAwait(false);
            foreach (var engine in Engines)
            {
                engine.Dispose();
            }

            stopping.Dispose();
        }
    }
}
