using System.ComponentModel.DataAnnotations;
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
    [InlineData(nameof(HostCoordinationOptions.MaxConcurrency), 0, "HostCoordinationOptions.MaxConcurrency must be between 1 and 2147483647.")]
    [InlineData(nameof(HostCoordinationOptions.RetryThrottlingK), 0.5, "HostCoordinationOptions.RetryThrottlingK must be between 1 and 100.")]
    [InlineData(nameof(HostCoordinationOptions.PauseReleaseSpread), 1.5, "HostCoordinationOptions.PauseReleaseSpread must be between 0 and 1.")]
    [InlineData(nameof(HostCoordinationOptions.CircuitBreakerFailureThreshold), 0, "HostCoordinationOptions.CircuitBreakerFailureThreshold must be between 1 and 100000.")]
    [InlineData(nameof(HostCoordinationOptions.MaxHosts), 0, "HostCoordinationOptions.MaxHosts must be between 1 and 10000000.")]
    [InlineData(nameof(HostCoordinationOptions.RateLimit), 0.0, "HostCoordinationOptions.RateLimit must be between 0.001 and 1000000.")]
    public void Validate_NumberOutOfRange_ThrowsMessageNamingOptionAndRange(string property, double value, string message)
    {
        var options = new HostCoordinationOptions();
        var info = typeof(HostCoordinationOptions).GetProperty(property)!;
        var type = Nullable.GetUnderlyingType(info.PropertyType) ?? info.PropertyType;
        info.SetValue(options, Convert.ChangeType(value, type, System.Globalization.CultureInfo.InvariantCulture));

        var error = Assert.Throws<ValidationException>(options.Validate);

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Validate_WindowOutOfRange_ThrowsMessageNamingOptionAndRange()
    {
        var options = new HostCoordinationOptions { RetryThrottlingWindow = TimeSpan.FromHours(2) };

        var error = Assert.Throws<ValidationException>(options.Validate);

        Assert.Equal("HostCoordinationOptions.RetryThrottlingWindow must be between 00:00:01 and 01:00:00.", error.Message);
    }

    [Fact]
    public void Validate_MinConcurrencyAboveMax_ThrowsMessageNamingBoth()
    {
        var options = new HostCoordinationOptions { MinConcurrency = 10, MaxConcurrency = 5 };

        var error = Assert.Throws<ValidationException>(options.Validate);

        Assert.Equal("HostCoordinationOptions.MinConcurrency must be between 1 and MaxConcurrency (5).", error.Message);
    }

    [Fact]
    public void HostRegistry_InvalidOptions_ThrowsAtConstruction()
    {
        Assert.Throws<ValidationException>(() => new HostRegistry(new HostCoordinationOptions { MaxPause = TimeSpan.FromDays(2) }));
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
