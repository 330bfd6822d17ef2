using System.Globalization;
using Microsoft.Extensions.Options;

namespace Reprise.Redis.Tests;

public sealed class RedisHostStateOptionsTests
{
    [Fact]
    public void Validate_Defaults_Succeeds()
    {
        var result = new RedisHostStateOptionsValidator().Validate(null, new RedisHostStateOptions());

        Assert.True(result.Succeeded);
    }

    [Theory]
    [InlineData(nameof(RedisHostStateOptions.OperationTimeout), "00:00:00", "00:00:00.0010000", "00:00:10")]
    [InlineData(nameof(RedisHostStateOptions.OperationTimeout), "00:00:10.001", "00:00:00.0010000", "00:00:10")]
    [InlineData(nameof(RedisHostStateOptions.CacheValidity), "00:00:00.009", "00:00:00.0100000", "00:01:00")]
    [InlineData(nameof(RedisHostStateOptions.CacheValidity), "00:01:01", "00:00:00.0100000", "00:01:00")]
    [InlineData(nameof(RedisHostStateOptions.ProbeLeaseTime), "00:00:00.099", "00:00:00.1000000", "00:10:00")]
    [InlineData(nameof(RedisHostStateOptions.ProbeLeaseTime), "00:10:01", "00:00:00.1000000", "00:10:00")]
    [InlineData(nameof(RedisHostStateOptions.TokenLeaseAhead), "-00:00:01", "00:00:00.0010000", "00:00:10")]
    [InlineData(nameof(RedisHostStateOptions.TokenLeaseAhead), "00:00:11", "00:00:00.0010000", "00:00:10")]
    [InlineData(nameof(RedisHostStateOptions.RejoinInterval), "00:00:00.009", "00:00:00.0100000", "00:10:00")]
    [InlineData(nameof(RedisHostStateOptions.RejoinInterval), "00:10:01", "00:00:00.0100000", "00:10:00")]
    [InlineData(nameof(RedisHostStateOptions.RetryThrottlingWindow), "00:00:00.999", "00:00:01", "01:00:00")]
    [InlineData(nameof(RedisHostStateOptions.RetryThrottlingWindow), "01:00:01", "00:00:01", "01:00:00")]
    public void ThrowIfInvalid_TimeOutOfRange_ThrowsMessageNamingOptionAndRange(string property, string value, string min, string max)
    {
        var options = new RedisHostStateOptions();
        typeof(RedisHostStateOptions).GetProperty(property)!.SetValue(options, TimeSpan.Parse(value, CultureInfo.InvariantCulture));

        var error = Assert.Throws<OptionsValidationException>(() => RedisHostStateOptionsValidator.ThrowIfInvalid(options));

        Assert.Equal($"{property}: The field RedisHostStateOptions.{property} must be between {min} and {max}.", error.Message);
    }

    [Fact]
    public void Validate_TimesAtTheirBounds_Succeeds()
    {
        var lower = new RedisHostStateOptions
        {
            OperationTimeout = TimeSpan.FromMilliseconds(1),
            CacheValidity = TimeSpan.FromMilliseconds(10),
            ProbeLeaseTime = TimeSpan.FromMilliseconds(100),
            TokenLeaseAhead = TimeSpan.FromMilliseconds(1),
            RejoinInterval = TimeSpan.FromMilliseconds(10),
            RetryThrottlingWindow = TimeSpan.FromSeconds(1),
        };
        var upper = new RedisHostStateOptions
        {
            OperationTimeout = TimeSpan.FromSeconds(10),
            CacheValidity = TimeSpan.FromMinutes(1),
            ProbeLeaseTime = TimeSpan.FromMinutes(10),
            TokenLeaseAhead = TimeSpan.FromSeconds(10),
            RejoinInterval = TimeSpan.FromMinutes(10),
            RetryThrottlingWindow = TimeSpan.FromHours(1),
        };

        RedisHostStateOptionsValidator.ThrowIfInvalid(lower);
        RedisHostStateOptionsValidator.ThrowIfInvalid(upper);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void ThrowIfInvalid_BlankKeyPrefix_ThrowsMessageNamingIt(string prefix)
    {
        var error = Assert.Throws<OptionsValidationException>(() => RedisHostStateOptionsValidator.ThrowIfInvalid(new RedisHostStateOptions { KeyPrefix = prefix }));

        Assert.Equal("KeyPrefix: The RedisHostStateOptions.KeyPrefix field is required.", error.Message);
    }

    [Fact]
    public void Validate_NamedOptions_NamesThemInTheMessage()
    {
        var result = new RedisHostStateOptionsValidator().Validate("shared", new RedisHostStateOptions { CacheValidity = TimeSpan.Zero });

        Assert.Equal(["CacheValidity: The field shared.CacheValidity must be between 00:00:00.0100000 and 00:01:00."], result.Failures);
    }
}
