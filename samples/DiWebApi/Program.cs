using System.Text.Json.Serialization;
using DiWebApi;
using Reprise.Chaos;
using Reprise.Chaos.Configuration;
using Reprise.DependencyInjection;

var builder = WebApplication.CreateBuilder(args);

// The upstream: the configured one, or a stand-in that fails a third of its calls and throttles with Retry-After.
await using var standIn = string.IsNullOrEmpty(builder.Configuration["Upstream:BaseAddress"])
    ? await ChaosServer.StartAsync(new ChaosHostOptions
    {
        Routes =
        {
            new ChaosRouteOptions
            {
                Path = "/forecast",
                FailureProbability = 0.3,
                FailureStatus = 503,
                LatencyMs = 5,
                LatencyMaxMs = 50,
                Seed = 42,
                BodySize = 64,
            },
        },
        RateLimit = new ChaosRateLimitOptions { RequestsPerSecond = 20, Burst = 20 },
    })
    : null;
var upstream = standIn?.BaseAddress ?? new Uri(builder.Configuration["Upstream:BaseAddress"]!);

// Reprise in front of the typed client, configured from appsettings.json (Reprise:Clients:upstream), validated on start.
builder.Services
    .AddHttpClient<UpstreamClient>(UpstreamClient.Name, client => client.BaseAddress = upstream)
    .AddReprise(builder.Configuration.GetSection("Reprise:Clients:upstream"));
builder.Services.ConfigureHostRegistry(UpstreamClient.Name, builder.Configuration.GetSection("Reprise:HostRegistries:upstream"));

builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));

var app = builder.Build();

app.MapGet("/forecast/{city}", (string city, UpstreamClient client, CancellationToken cancellationToken) => client.GetForecastAsync(city, cancellationToken));

// What the client has learned about the upstream: pause, circuit, retry budget, adaptive limits.
app.MapGet("/hosts", (HostRegistryProvider registries) => registries.GetRegistry(UpstreamClient.Name).GetSnapshots());

app.Logger.LogInformation("Upstream: {Upstream}", upstream);
await app.RunAsync();
