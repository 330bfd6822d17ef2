using Microsoft.Extensions.Options;
using Reprise.Backoff;

namespace Reprise.Tests;

public class RepriseOptionsValidatorTests
{
    public static TheoryData<Action<RepriseOptions>, string> InvalidOptions => new()
    {
        { o => o.MaxAttempts = 0, "MaxAttempts must be between 1 and 100; it is 0." },
        { o => o.MaxAttempts = 101, "MaxAttempts must be between 1 and 100; it is 101." },
        { o => o.RetryOn = null!, "RetryOn is required." },
        { o => o.BaseDelay = TimeSpan.FromSeconds(-1), "BaseDelay must be between 00:00:00 and 1.00:00:00; it is -00:00:01." },
        { o => o.MaxDelay = TimeSpan.FromMilliseconds(500), "MaxDelay must be at least BaseDelay (00:00:01); it is 00:00:00.5000000." },
        { o => o.MaxRetryAfter = TimeSpan.FromDays(2), "MaxRetryAfter must be between 00:00:00 and 1.00:00:00; it is 2.00:00:00." },
        { o => o.AttemptTimeout = TimeSpan.Zero, "AttemptTimeout must be more than 0 and at most 1.00:00:00, or infinite; it is 00:00:00." },
        { o => o.Deadline = TimeSpan.FromSeconds(-5), "Deadline must be more than 0 and at most 1.00:00:00, or infinite; it is -00:00:05." },
        { o => o.MaxReplayableBodySize = -1, "MaxReplayableBodySize must be between 0 and 2147483590 bytes; it is -1." },
        { o => o.BackoffType = (BackoffType)42, "BackoffType must be one of ExponentialWithJitter, Exponential, Constant, Linear, DecorrelatedJitter; it is 42." },
    };

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public void Validate_InvalidOption_FailsNamingTheOptionAndItsRange(Action<RepriseOptions> configure, string expected)
    {
        var options = new RepriseOptions();
        configure(options);

        var result = new RepriseOptionsValidator().Validate(Options.DefaultName, options);

        Assert.True(result.Failed);
        Assert.Equal(expected, Assert.Single(result.Failures!));
    }

    [Fact]
    public void Validate_Defaults_Succeed()
    {
        Assert.True(new RepriseOptionsValidator().Validate(Options.DefaultName, new RepriseOptions()).Succeeded);
    }

    [Fact]
    public void Validate_InfiniteTimeLimits_Succeed()
    {
        var options = new RepriseOptions { AttemptTimeout = Timeout.InfiniteTimeSpan, Deadline = Timeout.InfiniteTimeSpan };

        Assert.True(new RepriseOptionsValidator().Validate(Options.DefaultName, options).Succeeded);
    }

    [Fact]
    public void ThrowIfInvalid_SeveralBadOptions_ReportsEach()
    {
        var options = new RepriseOptions { MaxAttempts = 0, MaxReplayableBodySize = -1 };

        var error = Assert.Throws<OptionsValidationException>(() => RepriseOptionsValidator.ThrowIfInvalid(options));

        Assert.Equal(2, error.Failures.Count());
        Assert.Equal(typeof(RepriseOptions), error.OptionsType);
    }
}
