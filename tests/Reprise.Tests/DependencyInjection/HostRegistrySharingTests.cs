using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Reprise.Chaos;
using Reprise.Chaos.Configuration;
using Reprise.DependencyInjection;
using Reprise.Retry;

namespace Reprise.Tests.DependencyInjection;

public class HostRegistrySharingTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task UseHostRegistry_CircuitOpenedByOneClient_StopsTheOtherOnlyWhenShared(bool shared)
    {
        await using var server = await ChaosServer.StartAsync(new ChaosHostOptions
        {
            Routes = { new ChaosRouteOptions { Path = "/down", Status = 503 }, new ChaosRouteOptions { Path = "/ok" } },
        });
        var services = new ServiceCollection();
        var catalog = services.AddHttpClient("catalog").AddReprise(o => o.MaxAttempts = 1);
        var orders = services.AddHttpClient("orders").AddReprise(o => o.MaxAttempts = 1);
        if (shared)
        {
            catalog.UseHostRegistry("backend");
            orders.UseHostRegistry("backend");
        }

        foreach (var name in new[] { "backend", "catalog", "orders" })
        {
            services.ConfigureHostRegistry(name, o =>
            {
                o.CircuitBreakerFailureThreshold = 1;
                o.CircuitBreakerProbeInterval = TimeSpan.FromHours(1);
                o.CircuitBreakerMaxProbeInterval = TimeSpan.FromHours(1);
                o.FailFastWhenCircuitOpen = true;
            });
        }

        await using var provider = services.BuildServiceProvider();
        var factory = provider.GetRequiredService<IHttpClientFactory>();

        // Two URLs failing (a first failure is half a piece of evidence) open the circuit at a threshold of 1.
        using var failed = await factory.CreateClient("catalog").GetAsync(server.GetUri("/down/1"));
        using var failedToo = await factory.CreateClient("catalog").GetAsync(server.GetUri("/down/2"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.StatusCode);

        if (shared)
        {
            var error = await Assert.ThrowsAsync<RepriseRequestException>(() => factory.CreateClient("orders").GetAsync(server.GetUri("/ok/1")));
            Assert.Equal(RetryStopReason.CircuitOpen, error.StopReason);
            Assert.Equal(2, server.Stats.TotalRequests);
        }
        else
        {
            using var response = await factory.CreateClient("orders").GetAsync(server.GetUri("/ok/1"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(3, server.Stats.TotalRequests);
        }
    }

    [Fact]
    public async Task UseHostRegistry_SharedName_OneRegistryForBothClients()
    {
        var services = new ServiceCollection();
        services.AddHttpClient("catalog").AddReprise().UseHostRegistry("backend");
        services.AddHttpClient("orders").AddReprise().UseHostRegistry("backend");
        await using var provider = services.BuildServiceProvider();

        var catalog = AddRepriseTests.BuildReprise(provider, "catalog");
        var orders = AddRepriseTests.BuildReprise(provider, "orders");

        Assert.Same(catalog.Hosts, orders.Hosts);
        Assert.Same(provider.GetRequiredService<HostRegistryProvider>().GetRegistry("backend"), catalog.Hosts);
    }

    [Fact]
    public async Task ConfigureHostRegistry_InvalidOption_FailsOnStartNamingIt()
    {
        var services = new ServiceCollection();
        services.AddHttpClient("api").AddReprise();
        services.ConfigureHostRegistry("api", o => o.MaxConcurrency = 0);
        await using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Equal("MaxConcurrency: The field api.MaxConcurrency must be between 1 and 2147483647.", Assert.Single(error.Failures));
        Assert.Equal("api", error.OptionsName);
    }
}
