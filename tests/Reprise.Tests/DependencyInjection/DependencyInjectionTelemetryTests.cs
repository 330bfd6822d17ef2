using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Reprise.Chaos;
using Reprise.Chaos.Configuration;

namespace Reprise.Tests.DependencyInjection;

public class DependencyInjectionTelemetryTests
{
    [Fact]
    public async Task AddReprise_ContainerMeterAndLoggers_ReceiveTheHandlersTelemetry()
    {
        await using var server = await ChaosServer.StartAsync(new ChaosHostOptions
        {
            Routes = { new ChaosRouteOptions { Path = "/flaky", Sequence = "503,200" } },
        });
        var logs = new FakeLogCollector();
        var services = new ServiceCollection();
        services.AddMetrics();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Debug).AddProvider(new FakeLoggerProvider(logs)));
        services.AddHttpClient("api").AddReprise(o => o.BaseDelay = TimeSpan.Zero);
        await using var provider = services.BuildServiceProvider();
        var meterFactory = provider.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
        using var attempts = new MetricCollector<long>(meterFactory, "Reprise", "reprise.attempts");
        using var limits = new MetricCollector<int>(meterFactory, "Reprise", "reprise.host.concurrency.limit");

        using var response = await provider.GetRequiredService<IHttpClientFactory>().CreateClient("api").GetAsync(server.GetUri("/flaky/1"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([503, 200], attempts.GetMeasurementSnapshot().Select(m => m.Tags["http.response.status_code"]));
        Assert.All(attempts.GetMeasurementSnapshot(), m => Assert.Equal("127.0.0.1", m.Tags["server.address"]));
        Assert.Equal(2, logs.GetSnapshot().Count(l => l.Id.Name == "AttemptEnded"));
        limits.RecordObservableInstruments();
        var limit = Assert.Single(limits.GetMeasurementSnapshot());
        Assert.Equal("api", limit.Tags["reprise.host_registry"]);
        Assert.Equal(server.Port, limit.Tags["server.port"]);
    }
}
