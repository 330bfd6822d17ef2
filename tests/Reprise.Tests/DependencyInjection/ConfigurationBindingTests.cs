using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Reprise.Backoff;
using Reprise.Hosts;
using Reprise.Retry;

namespace Reprise.Tests.DependencyInjection;

public class ConfigurationBindingTests
{
    private const string AppSettings = """
        {
          "Reprise": {
            "Clients": {
              "github": {
                "MaxAttempts": 3,
                "RetryOn": "429,500-504",
                "BackoffType": "Constant",
                "BaseDelay": "00:00:00.250",
                "AttemptTimeout": "00:00:10",
                "Deadline": "00:00:45",
                "Telemetry": { "IncludeUrlQuery": true }
              }
            },
            "HostRegistries": {
              "github": { "MaxConcurrency": 16, "FailFastWhenCircuitOpen": true }
            }
          }
        }
        """;

    [Fact]
    public async Task AddReprise_AppSettingsSection_BindsEveryOption()
    {
        var configuration = Json(AppSettings);
        var services = new ServiceCollection();
        services.AddHttpClient("github").AddReprise(configuration.GetSection("Reprise:Clients:github"));
        services.ConfigureHostRegistry("github", configuration.GetSection("Reprise:HostRegistries:github"));
        await using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IStartupValidator>().Validate();

        var options = provider.GetRequiredService<IOptionsMonitor<RepriseOptions>>().Get("github");

        Assert.Equal(3, options.MaxAttempts);
        Assert.Equal(StatusCodeSet.Parse("429,500,501,502,503,504"), options.RetryOn);
        Assert.Equal(BackoffType.Constant, options.BackoffType);
        Assert.Equal(TimeSpan.FromMilliseconds(250), options.BaseDelay);
        Assert.Equal(TimeSpan.FromSeconds(10), options.AttemptTimeout);
        Assert.Equal(TimeSpan.FromSeconds(45), options.Deadline);
        Assert.True(options.Telemetry.IncludeUrlQuery);
        Assert.Equal(TimeSpan.FromSeconds(30), options.MaxDelay);
        var hosts = provider.GetRequiredService<IOptionsMonitor<HostCoordinationOptions>>().Get("github");
        Assert.Equal(16, hosts.MaxConcurrency);
        Assert.True(hosts.FailFastWhenCircuitOpen);
        Assert.Equal(TimeSpan.FromSeconds(46), provider.GetRequiredService<IHttpClientFactory>().CreateClient("github").Timeout);
    }

    [Fact]
    public async Task AddReprise_OptionOutOfRange_FailsOnStartWithTheValidatorsMessage()
    {
        var services = new ServiceCollection();
        services.AddHttpClient("github").AddReprise(Memory(("MaxAttempts", "0"), ("Deadline", "2.00:00:00")));
        await using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Equal("github", error.OptionsName);
        Assert.Equal(
            [
                "MaxAttempts: The field github.MaxAttempts must be between 1 and 100.",
                "Deadline: The field github.Deadline must be more than 0 and at most 1.00:00:00, or infinite; it is 2.00:00:00.",
            ],
            error.Failures);
    }

    [Fact]
    public async Task AddReprise_BadStatusList_FailsOnStartNamingTheKeyAndTheEntry()
    {
        var services = new ServiceCollection();
        services.AddHttpClient("github").AddReprise(Json("""{ "Reprise": { "RetryOn": "429,5xx" } }""").GetSection("Reprise"));
        await using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("'Reprise:RetryOn'", error.Message, StringComparison.Ordinal);
        Assert.Equal("'5xx' is not a status code from 100 to 999 or a range of them such as 500-504.", error.InnerException!.Message);
    }

    [Fact]
    public async Task AddReprise_EmptyStatusList_RetriesNoStatus()
    {
        var services = new ServiceCollection();
        services.AddHttpClient("github").AddReprise(Memory(("RetryOn", "")));
        await using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptionsMonitor<RepriseOptions>>().Get("github");

        Assert.Equal(StatusCodeSet.Empty, options.RetryOn);
    }

    [Fact]
    public async Task AddReprise_CodeThenSection_SectionOverridesRetryOn()
    {
        var services = new ServiceCollection();
        services.AddHttpClient("github").AddReprise(o => o.RetryOn = StatusCodeSet.From(500)).AddReprise(Memory(("RetryOn", "429")));
        await using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptionsMonitor<RepriseOptions>>().Get("github");

        Assert.Equal(StatusCodeSet.From(429), options.RetryOn);
    }

    [Fact]
    public async Task ConfigureHostRegistry_TimeOutOfRange_FailsOnStartWithTheValidatorsMessage()
    {
        var services = new ServiceCollection();
        services.ConfigureHostRegistry("github", Memory(("MaxPause", "2.00:00:00")));
        await using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Equal(["MaxPause: The field github.MaxPause must be between 00:00:00 and 1.00:00:00."], error.Failures);
    }

    [Fact]
    public async Task ConfigureHostRegistry_DisabledKey_FailsOnStartNamingTheOptionsToSetInstead()
    {
        var services = new ServiceCollection();
        services.ConfigureHostRegistry("github", Json("""{ "Hosts": { "Disabled": true } }""").GetSection("Hosts"));
        await using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Equal(
            "'Hosts:Disabled' is not an option of HostCoordinationOptions (Disabled is a preset for code): set PauseEnabled, " +
            "RetryThrottlingEnabled, CircuitBreakerEnabled, AdaptiveConcurrencyEnabled and AdaptiveRateEnabled to false instead.",
            error.Message);
    }

    [Fact]
    public async Task AddReprise_MisspelledKey_FailsOnStartNamingIt()
    {
        var services = new ServiceCollection();
        services.AddHttpClient("github").AddReprise(Memory(("MaxAttempt", "3")));
        await using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("'MaxAttempt'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddReprise_SectionThenCode_CodeAddsWhatConfigurationCannotHold()
    {
        var services = new ServiceCollection();
        Func<RetryPredicateArguments, bool> rule = _ => false;
        services.AddHttpClient("github").AddReprise(Memory(("MaxAttempts", "7"))).AddReprise(o => o.ShouldRetry = rule);
        await using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptionsMonitor<RepriseOptions>>().Get("github");

        Assert.Equal(7, options.MaxAttempts);
        Assert.Same(rule, options.ShouldRetry);
    }

    [Fact]
    public async Task DiWebApiSample_AppSettings_BindsAndValidates()
    {
        var configuration = new ConfigurationBuilder().AddJsonFile(Path.Combine(RepositoryRoot(), "samples", "DiWebApi", "appsettings.json")).Build();
        var services = new ServiceCollection();
        services.AddHttpClient("upstream").AddReprise(configuration.GetSection("Reprise:Clients:upstream"));
        services.ConfigureHostRegistry("upstream", configuration.GetSection("Reprise:HostRegistries:upstream"));
        await using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<IStartupValidator>().Validate();

        Assert.Equal(TimeSpan.FromSeconds(20), provider.GetRequiredService<IOptionsMonitor<RepriseOptions>>().Get("upstream").Deadline);
        Assert.Equal(32, provider.GetRequiredService<IOptionsMonitor<HostCoordinationOptions>>().Get("upstream").MaxConcurrency);
    }

    [Theory]
    [InlineData("429,500-504", "429,500-504")]
    [InlineData(" 503 , 502 ", "502-503")]
    [InlineData("", "")]
    public void StatusCodeSetConverter_ReadsAndWritesTheListForm(string text, string canonical)
    {
        var converter = System.ComponentModel.TypeDescriptor.GetConverter(typeof(StatusCodeSet));

        var set = (StatusCodeSet)converter.ConvertFromInvariantString(text)!;

        Assert.Equal(canonical, converter.ConvertToInvariantString(set));
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Reprise.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Reprise.slnx not found above the test binaries.");
    }

    private static IConfigurationRoot Json(string json)
        => new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json))).Build();

    private static IConfigurationRoot Memory(params (string Key, string Value)[] values)
        => new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Key, (string?)v.Value))).Build();
}
