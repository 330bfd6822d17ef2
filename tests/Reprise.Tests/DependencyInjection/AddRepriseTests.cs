using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Reprise.Chaos;
using Reprise.Chaos.Configuration;
using Reprise.DependencyInjection;
using Reprise.Retry;

namespace Reprise.Tests.DependencyInjection;

/// <summary>AddReprise through a real ServiceCollection and IHttpClientFactory, against the chaos server over sockets.</summary>
public class AddRepriseTests
{
    [Fact]
    public async Task AddReprise_NamedClient_RetriesUntilSuccess()
    {
        await using var server = await ChaosServer.StartAsync(Route("/flaky", sequence: "503,503,200"));
        var services = new ServiceCollection();
        services.AddHttpClient("flaky", c => c.BaseAddress = server.BaseAddress).AddReprise(o => o.BaseDelay = TimeSpan.Zero);
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<IHttpClientFactory>().CreateClient("flaky");

        using var response = await client.GetAsync("/flaky/1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, response.GetRetryHistory()!.Attempts.Count);
        Assert.Equal(3, server.Stats.TotalRequests);
    }

    [Fact]
    public async Task AddReprise_TypedClient_RetriesUntilSuccess()
    {
        await using var server = await ChaosServer.StartAsync(Route("/items", sequence: "502,200"));
        var services = new ServiceCollection();
        services.AddHttpClient<CatalogClient>(c => c.BaseAddress = server.BaseAddress).AddReprise(o => o.BaseDelay = TimeSpan.Zero);
        await using var provider = services.BuildServiceProvider();

        var status = await provider.GetRequiredService<CatalogClient>().GetStatusAsync("/items/1");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(2, server.Stats.TotalRequests);
        Assert.Equal(TimeSpan.Zero, provider.GetRequiredService<IOptionsMonitor<RepriseOptions>>().Get(nameof(CatalogClient)).BaseDelay);
    }

    [Fact]
    public async Task AddReprise_TwoNamedClients_EachHasItsOwnOptions()
    {
        await using var server = await ChaosServer.StartAsync(Route("/down", status: 503));
        var services = new ServiceCollection();
        services.AddHttpClient("two").AddReprise(o => (o.MaxAttempts, o.BaseDelay) = (2, TimeSpan.Zero));
        services.AddHttpClient("three").AddReprise(o => (o.MaxAttempts, o.BaseDelay) = (3, TimeSpan.Zero));
        await using var provider = services.BuildServiceProvider();
        var factory = provider.GetRequiredService<IHttpClientFactory>();

        using var two = await factory.CreateClient("two").GetAsync(server.GetUri("/down/1"));
        using var three = await factory.CreateClient("three").GetAsync(server.GetUri("/down/2"));

        Assert.Equal(2, two.GetRetryHistory()!.Attempts.Count);
        Assert.Equal(3, three.GetRetryHistory()!.Attempts.Count);
        Assert.Equal(5, server.Stats.TotalRequests);
    }

    [Fact]
    public async Task AddReprise_CalledTwice_AddsOneHandlerWithBothConfigurations()
    {
        await using var server = await ChaosServer.StartAsync(Route("/gone", status: 410));
        var services = new ServiceCollection();
        services.AddHttpClient("api")
            .AddReprise(o => (o.MaxAttempts, o.BaseDelay) = (3, TimeSpan.Zero))
            .AddReprise(o => o.ShouldRetry = args => args.Response?.StatusCode == HttpStatusCode.Gone);
        await using var provider = services.BuildServiceProvider();

        using var response = await provider.GetRequiredService<IHttpClientFactory>().CreateClient("api").GetAsync(server.GetUri("/gone/1"));

        // One handler retried the 410 (the second call's rule) three times (the first call's limit); two would send nine.
        Assert.Equal(3, server.Stats.TotalRequests);
        Assert.Equal(RetryStopReason.AttemptsExhausted, response.GetRetryHistory()!.StopReason);
    }

    [Theory]
    [InlineData("00:00:10", "00:00:11")]
    [InlineData("00:01:30", "00:01:31")]
    [InlineData("-00:00:00.001", "-00:00:00.001")]
    public async Task AddReprise_HttpClientTimeout_IsTheDeadlinePlusOneSecond(string deadline, string expectedTimeout)
    {
        var services = new ServiceCollection();
        services.AddHttpClient("api").AddReprise(o => o.Deadline = TimeSpan.Parse(deadline, System.Globalization.CultureInfo.InvariantCulture));
        await using var provider = services.BuildServiceProvider();

        var client = provider.GetRequiredService<IHttpClientFactory>().CreateClient("api");

        Assert.Equal(TimeSpan.Parse(expectedTimeout, System.Globalization.CultureInfo.InvariantCulture), client.Timeout);
    }

    [Fact]
    public async Task AddReprise_TimeProviderRegistered_MeasuresWithIt()
    {
        await using var server = await ChaosServer.StartAsync(Route("/ok", status: 200));
        var services = new ServiceCollection();
        var time = new FakeTimeProvider();
        services.AddSingleton<TimeProvider>(time);
        services.AddHttpClient("api").AddReprise();
        await using var provider = services.BuildServiceProvider();

        using var response = await provider.GetRequiredService<IHttpClientFactory>().CreateClient("api").GetAsync(server.GetUri("/ok/1"));

        // A real round trip over a socket takes time on any real clock; the fake one never moved.
        var history = response.GetRetryHistory()!;
        Assert.Equal(TimeSpan.Zero, history.Elapsed);
        Assert.Equal(TimeSpan.Zero, history.Attempts[0].Duration);
        Assert.Same(time, provider.GetRequiredService<HostRegistryProvider>().GetRegistry("api").TimeProvider);
    }

    [Fact]
    public async Task AddReprise_EachNewHandler_SharesTheClientsHostRegistry()
    {
        var services = new ServiceCollection();
        services.AddHttpClient("api").AddReprise();
        await using var provider = services.BuildServiceProvider();

        // The factory rotates handlers (every 2 minutes by default); build two chains as it would.
        var first = BuildReprise(provider, "api");
        var second = BuildReprise(provider, "api");

        Assert.NotSame(first, second);
        Assert.Same(first.Hosts, second.Hosts);
        Assert.Same(provider.GetRequiredService<HostRegistryProvider>().GetRegistry("api"), first.Hosts);
    }

    [Fact]
    public void AddReprise_ClientDefaults_ThrowsNamingWhatIsNeeded()
    {
        var services = new ServiceCollection();

        var error = Assert.Throws<ArgumentException>(() => services.ConfigureHttpClientDefaults(b => b.AddReprise()));

        Assert.StartsWith("AddReprise needs a named or typed client", error.Message, StringComparison.Ordinal);
    }

    internal static RepriseHandler BuildReprise(IServiceProvider provider, string name)
    {
        var options = provider.GetRequiredService<IOptionsMonitor<Microsoft.Extensions.Http.HttpClientFactoryOptions>>().Get(name);
        var builder = provider.GetRequiredService<Microsoft.Extensions.Http.HttpMessageHandlerBuilder>();
        builder.Name = name;
        foreach (var action in options.HttpMessageHandlerBuilderActions)
        {
            action(builder);
        }

        for (var handler = builder.Build(); handler is DelegatingHandler delegating; handler = delegating.InnerHandler)
        {
            if (handler is RepriseHandler reprise)
            {
                return reprise;
            }
        }

        throw new InvalidOperationException("The chain has no Reprise handler.");
    }

    private static ChaosHostOptions Route(string path, string? sequence = null, int status = 200)
        => new() { Routes = { new ChaosRouteOptions { Path = path, Sequence = sequence, Status = status } } };

    public sealed class CatalogClient(HttpClient client)
    {
        public async Task<HttpStatusCode> GetStatusAsync(string path)
        {
            using var response = await client.GetAsync(path);
            return response.StatusCode;
        }
    }
}
