using System.Net;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Reprise.Bulk;
using Reprise.Chaos;
using Reprise.Chaos.Configuration;
using Reprise.DependencyInjection;
using Reprise.Retry;
using Reprise.Tests.Bulk;

namespace Reprise.Tests.DependencyInjection;

/// <summary>AddRepriseBulkEngine through a real ServiceCollection; end to end against the chaos server over sockets.</summary>
public class AddRepriseBulkEngineTests
{
    [Fact]
    public async Task AddRepriseBulkEngine_Default_ResolvesOneEngineWithItsOptionsAndRegistry()
    {
        var services = new ServiceCollection();
        services.AddRepriseBulkEngine(o => o.MaxConcurrency = 7);
        await using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IStartupValidator>().Validate();

        var engine = provider.GetRequiredService<BulkEngine>();

        Assert.Same(engine, provider.GetRequiredService<BulkEngine>());
        Assert.Same(engine, provider.GetRequiredKeyedService<BulkEngine>(nameof(BulkEngine)));
        Assert.Equal(7, engine.MaxConcurrency);
        Assert.Same(provider.GetRequiredService<HostRegistryProvider>().GetRegistry(nameof(BulkEngine)), engine.Hosts);
    }

    [Fact]
    public async Task AddRepriseBulkEngine_Named_EachNameHasItsOwnEngineAndOptions()
    {
        var services = new ServiceCollection();
        services.AddRepriseBulkEngine("small", o => o.MaxConcurrency = 2);
        services.AddRepriseBulkEngine("large", o => o.MaxConcurrency = 64);
        await using var provider = services.BuildServiceProvider();

        var small = provider.GetRequiredKeyedService<BulkEngine>("small");
        var large = provider.GetRequiredKeyedService<BulkEngine>("large");

        Assert.Equal((2, 64), (small.MaxConcurrency, large.MaxConcurrency));
        Assert.NotSame(small.Hosts, large.Hosts);
        Assert.Null(provider.GetService<BulkEngine>());
    }

    [Fact]
    public async Task AddRepriseBulkEngine_CalledTwice_AddsOneEngineWithBothConfigurations()
    {
        var services = new ServiceCollection();
        services.AddRepriseBulkEngine(Json("""{ "MaxConcurrency": 3, "Retry": { "MaxAttempts": 2 } }"""));
        services.AddRepriseBulkEngine(o => o.BodyHandling = BulkBodyHandling.Memory);
        await using var provider = services.BuildServiceProvider();

        var engine = provider.GetRequiredService<BulkEngine>();

        Assert.Single(services, d => d.IsKeyedService && d.ServiceType == typeof(BulkEngine));
        Assert.Equal((3, 2, BulkBodyHandling.Memory), (engine.MaxConcurrency, engine.Policy.Options.MaxAttempts, engine.BodyHandling));
    }

    [Fact]
    public async Task AddRepriseBulkEngine_ConfigurationSection_BindsEveryOption()
    {
        var configuration = Json("""
            {
              "Reprise": {
                "Bulk": {
                  "MaxConcurrency": 16,
                  "MaxPendingRequests": 500,
                  "BodyHandling": "Memory",
                  "MaxBodyInMemory": 4096,
                  "Retry": { "MaxAttempts": 5, "RetryOn": "429,503", "Deadline": "00:00:20", "Telemetry": { "IncludeUrl": false } }
                }
              }
            }
            """);
        var services = new ServiceCollection();
        services.AddRepriseBulkEngine("ingest", configuration.GetSection("Reprise:Bulk"));
        await using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IStartupValidator>().Validate();

        var options = provider.GetRequiredService<IOptionsMonitor<BulkOptions>>().Get("ingest");

        Assert.Equal((16, 500, BulkBodyHandling.Memory, 4096L), (options.MaxConcurrency, options.MaxPendingRequests, options.BodyHandling, options.MaxBodyInMemory));
        Assert.Equal(5, options.Retry.MaxAttempts);
        Assert.Equal(StatusCodeSet.Parse("429,503"), options.Retry.RetryOn);
        Assert.Equal(TimeSpan.FromSeconds(20), options.Retry.Deadline);
        Assert.False(options.Retry.Telemetry.IncludeUrl);
        Assert.Equal(16, provider.GetRequiredKeyedService<BulkEngine>("ingest").MaxConcurrency);
    }

    [Fact]
    public async Task AddRepriseBulkEngine_UnknownKey_FailsNamingIt()
    {
        var services = new ServiceCollection();
        services.AddRepriseBulkEngine(Json("""{ "MaxConcurency": 16 }"""));
        await using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("MaxConcurency", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddRepriseBulkEngine_OptionsOutOfRange_FailOnStartWithTheValidatorsMessages()
    {
        var services = new ServiceCollection();
        services.AddRepriseBulkEngine("ingest", o =>
        {
            o.MaxConcurrency = 0;
            o.BodyHandling = BulkBodyHandling.Sink;
            o.Retry.MaxAttempts = 0;
        });
        await using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Equal("ingest", error.OptionsName);
        Assert.Equal(
            [
                "MaxAttempts: The field ingest.Retry.MaxAttempts must be between 1 and 100.",
                "MaxConcurrency: The field ingest.MaxConcurrency must be between 1 and 10000.",
                "BodySink: The field ingest.BodySink is required when BodyHandling is Sink.",
            ],
            error.Failures);
    }

    [Fact]
    public async Task AddRepriseBulkEngine_HostRegistryOptionOutOfRange_FailsOnStart()
    {
        var services = new ServiceCollection();
        services.AddRepriseBulkEngine(o => o.MaxConcurrency = 4);
        services.ConfigureHostRegistry(nameof(BulkEngine), o => o.MaxConcurrency = 0);
        await using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Equal("MaxConcurrency: The field BulkEngine.MaxConcurrency must be between 1 and 2147483647.", Assert.Single(error.Failures));
    }

    [Fact]
    public async Task AddRepriseBulkEngine_ContainerTimeProvider_IsTheEnginesClock()
    {
        var time = new FakeTimeProvider();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        services.AddRepriseBulkEngine(o => o.MaxConcurrency = 4);
        await using var provider = services.BuildServiceProvider();

        var engine = provider.GetRequiredService<BulkEngine>();

        Assert.Same(time, engine.TimeProvider);
        Assert.Same(time, engine.Hosts.TimeProvider);
    }

    [Fact]
    public async Task AddRepriseBulkEngine_ProviderDisposed_DisposesTheEngine()
    {
        var services = new ServiceCollection();
        services.AddRepriseBulkEngine(o => o.MaxConcurrency = 4);
        var provider = services.BuildServiceProvider();
        var engine = provider.GetRequiredService<BulkEngine>();

        await provider.DisposeAsync();

        Assert.Throws<ObjectDisposedException>(() => engine.RunAsync(BulkTestSupport.Urls("http://a.test/")));
    }

    [Fact]
    public async Task AddRepriseBulkEngine_OverSockets_RetriesAndReportsToTheContainersTelemetry()
    {
        await using var server = await ChaosServer.StartAsync(new ChaosHostOptions
        {
            Routes =
            {
                new ChaosRouteOptions { Path = "/flaky", Sequence = "503,200" },
                new ChaosRouteOptions { Path = "/missing", Status = 404 },
            },
        });
        var logs = new FakeLogCollector();
        var services = new ServiceCollection();
        services.AddMetrics();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Debug).AddProvider(new FakeLoggerProvider(logs)));
        services.AddRepriseBulkEngine("ingest", o => (o.MaxConcurrency, o.Retry.BaseDelay) = (4, TimeSpan.Zero));
        await using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IStartupValidator>().Validate();
        var meterFactory = provider.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
        using var attempts = new MetricCollector<long>(meterFactory, "Reprise", "reprise.attempts");
        using var requests = new MetricCollector<long>(meterFactory, "Reprise", "reprise.requests");
        using var limits = new MetricCollector<int>(meterFactory, "Reprise", "reprise.host.concurrency.limit");
        var engine = provider.GetRequiredKeyedService<BulkEngine>("ingest");
        string[] urls = [.. Enumerable.Range(0, 3).SelectMany(i => new[] { server.GetUri($"/flaky/{i}").ToString(), server.GetUri($"/missing/{i}").ToString() })];

        var results = await engine.RunAsync(BulkTestSupport.Urls(urls)).CollectAsync();

        Assert.Equal(urls.Order(), results.Select(r => r.Url).Order());
        Assert.All(results.Where(r => r.Url.Contains("/flaky/", StringComparison.Ordinal)), r => Assert.Equal((BulkOutcome.Succeeded, 2), (r.Outcome, r.Attempts)));
        Assert.All(results.Where(r => r.Url.Contains("/missing/", StringComparison.Ordinal)), r => Assert.Equal((BulkOutcome.Failed, 1), (r.Outcome, r.Attempts)));
        Assert.Equal(9, server.Stats.TotalRequests);
        Assert.Equal(9, attempts.GetMeasurementSnapshot().Count);
        Assert.All(attempts.GetMeasurementSnapshot(), m => Assert.Equal(("127.0.0.1", server.Port), (m.Tags["server.address"], m.Tags["server.port"])));
        Assert.Equal(6, requests.GetMeasurementSnapshot().Count);
        Assert.Equal(9, logs.GetSnapshot().Count(l => l.Id.Name == "AttemptEnded" && l.Category == "Reprise.Bulk.BulkEngine"));
        limits.RecordObservableInstruments();
        Assert.Equal("ingest", Assert.Single(limits.GetMeasurementSnapshot()).Tags["reprise.host_registry"]);
    }

    [Fact]
    public async Task AddRepriseBulkEngine_RegistrySharedWithAClient_CircuitOpenedByTheEngineStopsTheClient()
    {
        await using var server = await ChaosServer.StartAsync(new ChaosHostOptions
        {
            Routes = { new ChaosRouteOptions { Path = "/down", Status = 503 }, new ChaosRouteOptions { Path = "/ok" } },
        });
        var services = new ServiceCollection();
        services.AddRepriseBulkEngine("backend", o => (o.MaxConcurrency, o.Retry.MaxAttempts) = (1, 1));
        services.AddHttpClient("catalog").AddReprise(o => o.MaxAttempts = 1).UseHostRegistry("backend");
        services.ConfigureHostRegistry("backend", o =>
        {
            o.CircuitBreakerFailureThreshold = 1;
            o.CircuitBreakerProbeInterval = TimeSpan.FromHours(1);
            o.CircuitBreakerMaxProbeInterval = TimeSpan.FromHours(1);
            o.FailFastWhenCircuitOpen = true;
        });
        await using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IStartupValidator>().Validate();
        var engine = provider.GetRequiredKeyedService<BulkEngine>("backend");

        // Two URLs failing (a first failure is half a piece of evidence) open the circuit at a threshold of 1.
        var failed = (await engine.RunAsync(BulkTestSupport.Urls(server.GetUri("/down/1").ToString(), server.GetUri("/down/2").ToString())).CollectAsync())[0];
        var error = await Assert.ThrowsAsync<RepriseRequestException>(
            () => provider.GetRequiredService<IHttpClientFactory>().CreateClient("catalog").GetAsync(server.GetUri("/ok/1")));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.StatusCode);
        Assert.Equal(RetryStopReason.CircuitOpen, error.StopReason);
        Assert.Equal(2, server.Stats.TotalRequests);
        Assert.Same(engine.Hosts, AddRepriseTests.BuildReprise(provider, "catalog").Hosts);
    }

    private static IConfiguration Json(string json)
        => new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json))).Build();
}
