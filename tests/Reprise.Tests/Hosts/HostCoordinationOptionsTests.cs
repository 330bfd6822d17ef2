using Microsoft.Extensions.Options;
using Reprise.Hosts;

namespace Reprise.Tests.Hosts;

public sealed class HostCoordinationOptionsTests
{
    [Fact]
    public void Validate_Defaults_DoesNotThrow()
    {
        new HostCoordinationOptions().Validate();
        HostCoordinationOptions.Disabled.Validate();
    }

    [Fact]
    public void Constructor_Defaults_AreSafeAndOn()
    {
        var options = new HostCoordinationOptions();

        Assert.True(options.PauseEnabled && options.RetryThrottlingEnabled && options.CircuitBreakerEnabled);
        Assert.True(options.AdaptiveConcurrencyEnabled && options.AdaptiveRateEnabled);
        Assert.False(options.FailFastWhenCircuitOpen || options.FailFastWhenRetryThrottled);
        Assert.Equal(2.0, options.RetryThrottlingK);
        Assert.Equal(20, options.CircuitBreakerFailureThreshold);
        Assert.Equal(100, options.MaxConcurrency);
        Assert.Equal(TimeSpan.FromMinutes(5), options.IdleTimeout);
        Assert.Null(options.RateLimit);
    }

    [Theory]
    [InlineData(nameof(HostCoordinationOptions.MaxConcurrency), 0, "between 1 and 2147483647")]
    [InlineData(nameof(HostCoordinationOptions.MinConcurrency), 0, "between 1 and 2147483647")]
    [InlineData(nameof(HostCoordinationOptions.RetryThrottlingK), 0.5, "between 1 and 100")]
    [InlineData(nameof(HostCoordinationOptions.RetryThrottlingK), 101, "between 1 and 100")]
    [InlineData(nameof(HostCoordinationOptions.PauseReleaseSpread), 1.5, "between 0 and 1")]
    [InlineData(nameof(HostCoordinationOptions.PauseReleaseSpread), -0.1, "between 0 and 1")]
    [InlineData(nameof(HostCoordinationOptions.RetryThrottlingFreeRequests), -1, "between 0 and 2147483647")]
    [InlineData(nameof(HostCoordinationOptions.CircuitBreakerFailureThreshold), 0, "between 1 and 100000")]
    [InlineData(nameof(HostCoordinationOptions.MaxHosts), 0, "between 1 and 10000000")]
    [InlineData(nameof(HostCoordinationOptions.RateLimit), 0.0, "between 0.001 and 1000000")]
    [InlineData(nameof(HostCoordinationOptions.RateLimitBurst), 0, "between 1 and 1000000")]
    public void Validate_NumberOutOfRange_ThrowsMessageNamingOptionAndRange(string property, double value, string range)
    {
        var options = new HostCoordinationOptions();
        var info = typeof(HostCoordinationOptions).GetProperty(property)!;
        var type = Nullable.GetUnderlyingType(info.PropertyType) ?? info.PropertyType;
        info.SetValue(options, Convert.ChangeType(value, type, System.Globalization.CultureInfo.InvariantCulture));

        var error = Assert.Throws<OptionsValidationException>(options.Validate);

        Assert.Equal($"{property}: The field HostCoordinationOptions.{property} must be {range}.", error.Message);
    }

    [Theory]
    [InlineData(nameof(HostCoordinationOptions.MaxPause), "-00:00:01", "00:00:00", "1.00:00:00")]
    [InlineData(nameof(HostCoordinationOptions.MaxPause), "1.00:00:01", "00:00:00", "1.00:00:00")]
    [InlineData(nameof(HostCoordinationOptions.RetryThrottlingWindow), "02:00:00", "00:00:01", "01:00:00")]
    [InlineData(nameof(HostCoordinationOptions.RetryThrottlingWindow), "00:00:00.5", "00:00:01", "01:00:00")]
    [InlineData(nameof(HostCoordinationOptions.CircuitBreakerProbeInterval), "00:00:00", "00:00:00.0010000", "01:00:00")]
    [InlineData(nameof(HostCoordinationOptions.CircuitBreakerMaxProbeInterval), "1.00:00:01", "00:00:00.0010000", "1.00:00:00")]
    [InlineData(nameof(HostCoordinationOptions.IdleTimeout), "00:00:00.999", "00:00:01", "1.00:00:00")]
    [InlineData(nameof(HostCoordinationOptions.IdleTimeout), "1.00:00:01", "00:00:01", "1.00:00:00")]
    public void Validate_TimeOutOfRange_ThrowsMessageNamingOptionAndRange(string property, string value, string min, string max)
    {
        var options = new HostCoordinationOptions();
        typeof(HostCoordinationOptions).GetProperty(property)!.SetValue(options, TimeSpan.Parse(value, System.Globalization.CultureInfo.InvariantCulture));

        var error = Assert.Throws<OptionsValidationException>(options.Validate);

        Assert.Equal($"{property}: The field HostCoordinationOptions.{property} must be between {min} and {max}.", error.Message);
    }

    [Fact]
    public void Validate_ProbeIntervalAboveAnHour_ThrowsMessageNamingOptionAndRange()
    {
        var options = new HostCoordinationOptions
        {
            CircuitBreakerProbeInterval = TimeSpan.FromHours(1) + TimeSpan.FromTicks(1),
            CircuitBreakerMaxProbeInterval = TimeSpan.FromDays(1),
        };

        var error = Assert.Throws<OptionsValidationException>(options.Validate);

        Assert.Equal(
            "CircuitBreakerProbeInterval: The field HostCoordinationOptions.CircuitBreakerProbeInterval must be between 00:00:00.0010000 and 01:00:00.",
            error.Message);
    }

    [Fact]
    public void Validate_MaxProbeIntervalZero_ThrowsItsRangeThenTheRuleAcrossBoth()
    {
        var options = new HostCoordinationOptions { CircuitBreakerMaxProbeInterval = TimeSpan.Zero };

        var error = Assert.Throws<OptionsValidationException>(options.Validate);

        Assert.Equal(
            [
                "CircuitBreakerMaxProbeInterval: The field HostCoordinationOptions.CircuitBreakerMaxProbeInterval must be between 00:00:00.0010000 and 1.00:00:00.",
                "CircuitBreakerProbeInterval: The field HostCoordinationOptions.CircuitBreakerProbeInterval must be between 00:00:00.0010000 and CircuitBreakerMaxProbeInterval (00:00:00).",
            ],
            error.Failures);
    }

    [Fact]
    public void Validate_TimesAtTheirLowerBounds_Succeeds()
    {
        var options = new HostCoordinationOptions
        {
            MaxPause = TimeSpan.Zero,
            RetryThrottlingWindow = TimeSpan.FromSeconds(1),
            CircuitBreakerProbeInterval = TimeSpan.FromMilliseconds(1),
            CircuitBreakerMaxProbeInterval = TimeSpan.FromMilliseconds(1),
            IdleTimeout = TimeSpan.FromSeconds(1),
        };

        options.Validate();
    }

    [Fact]
    public void Validate_TimesAtTheirUpperBounds_Succeeds()
    {
        var options = new HostCoordinationOptions
        {
            MaxPause = TimeSpan.FromDays(1),
            RetryThrottlingWindow = TimeSpan.FromHours(1),
            CircuitBreakerProbeInterval = TimeSpan.FromHours(1),
            CircuitBreakerMaxProbeInterval = TimeSpan.FromDays(1),
            IdleTimeout = TimeSpan.FromDays(1),
        };

        options.Validate();
    }

    [Fact]
    public void Validate_NamedOptionsTimeOutOfRange_NamesTheRegistry()
    {
        var options = new HostCoordinationOptions { IdleTimeout = TimeSpan.Zero };

        var result = new HostCoordinationOptionsValidator().Validate("shared", options);

        Assert.Equal(["IdleTimeout: The field shared.IdleTimeout must be between 00:00:01 and 1.00:00:00."], result.Failures);
    }

    [Fact]
    public void Validate_MinConcurrencyAboveMax_ThrowsMessageNamingBoth()
    {
        var options = new HostCoordinationOptions { MinConcurrency = 10, MaxConcurrency = 5 };

        var error = Assert.Throws<OptionsValidationException>(options.Validate);

        Assert.Equal("MinConcurrency: The field HostCoordinationOptions.MinConcurrency must be between 1 and MaxConcurrency (5).", error.Message);
    }

    [Fact]
    public void Validate_ProbeIntervalAboveMaxProbeInterval_ThrowsMessageNamingBoth()
    {
        var options = new HostCoordinationOptions
        {
            CircuitBreakerProbeInterval = TimeSpan.FromSeconds(10),
            CircuitBreakerMaxProbeInterval = TimeSpan.FromSeconds(5),
        };

        var error = Assert.Throws<OptionsValidationException>(options.Validate);

        Assert.Equal(
            "CircuitBreakerProbeInterval: The field HostCoordinationOptions.CircuitBreakerProbeInterval must be between 00:00:00.0010000 and CircuitBreakerMaxProbeInterval (00:00:05).",
            error.Message);
    }

    [Fact]
    public void Validate_EqualBoundsAcrossOptions_Succeeds()
    {
        var options = new HostCoordinationOptions
        {
            MinConcurrency = 7,
            MaxConcurrency = 7,
            CircuitBreakerProbeInterval = TimeSpan.FromSeconds(5),
            CircuitBreakerMaxProbeInterval = TimeSpan.FromSeconds(5),
        };

        options.Validate();
    }

    [Fact]
    public void Validate_NamedOptions_NamesTheRegistry()
    {
        var options = new HostCoordinationOptions { MaxConcurrency = 0 };

        var result = new HostCoordinationOptionsValidator().Validate("shared", options);

        Assert.Equal(["MaxConcurrency: The field shared.MaxConcurrency must be between 1 and 2147483647."], result.Failures);
    }

    [Fact]
    public void HostRegistry_InvalidOptions_ThrowsAtConstructionWithTheValidatorsMessage()
    {
        var error = Assert.Throws<OptionsValidationException>(() => new HostRegistry(new HostCoordinationOptions { MaxPause = TimeSpan.FromDays(2) }));

        Assert.Equal("MaxPause: The field HostCoordinationOptions.MaxPause must be between 00:00:00 and 1.00:00:00.", error.Message);
    }

    [Fact]
    public void HostRegistry_OptionsChangedAfterConstruction_KeepsTheCopy()
    {
        var options = new HostCoordinationOptions { MaxConcurrency = 3 };
        var registry = new HostRegistry(options);
        options.MaxConcurrency = 50;

        Assert.Equal(3, registry.GetState(HostTestClock.Host).ConcurrencyLimiter.Limit);
    }

    [Fact]
    public void Disabled_ThrottlesFailuresAndRetries_NeverRefusesOrPauses()
    {
        var clock = new HostTestClock(HostCoordinationOptions.Disabled, random: () => 0);

        clock.Send(HostSignal.Throttled, TimeSpan.FromSeconds(30));
        for (int i = 0; i < 200; i++)
        {
            clock.Send(HostSignal.Failed, isRetry: true);
        }

        var snapshot = clock.Snapshot;
        Assert.Null(snapshot.PausedUntil);
        Assert.Equal(HostCircuitState.Closed, snapshot.CircuitState);
        Assert.Null(snapshot.Rate);
        Assert.Equal(int.MaxValue, snapshot.ConcurrencyLimit);
    }
}
