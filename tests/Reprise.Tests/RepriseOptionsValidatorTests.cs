using Microsoft.Extensions.Options;
using Reprise.Backoff;

namespace Reprise.Tests;

public class RepriseOptionsValidatorTests
{
    public static TheoryData<Action<RepriseOptions>, string> InvalidOptions => new()
    {
        { o => o.MaxAttempts = 0, "MaxAttempts: The field RepriseOptions.MaxAttempts must be between 1 and 100." },
        { o => o.MaxAttempts = 101, "MaxAttempts: The field RepriseOptions.MaxAttempts must be between 1 and 100." },
        { o => o.RetryOn = null!, "RetryOn: The RepriseOptions.RetryOn field is required." },
        { o => o.BaseDelay = TimeSpan.FromSeconds(-1), "BaseDelay: The field RepriseOptions.BaseDelay must be between 00:00:00 and 1.00:00:00." },
        { o => o.MaxDelay = TimeSpan.FromDays(2), "MaxDelay: The field RepriseOptions.MaxDelay must be between 00:00:00 and 1.00:00:00." },
        { o => o.MaxDelay = TimeSpan.FromMilliseconds(500), "MaxDelay: The field RepriseOptions.MaxDelay must be at least BaseDelay (00:00:01); it is 00:00:00.5000000." },
        { o => o.MaxRetryAfter = TimeSpan.FromDays(2), "MaxRetryAfter: The field RepriseOptions.MaxRetryAfter must be between 00:00:00 and 1.00:00:00." },
        { o => o.MaxRetryAfter = TimeSpan.FromSeconds(-1), "MaxRetryAfter: The field RepriseOptions.MaxRetryAfter must be between 00:00:00 and 1.00:00:00." },
        { o => o.AttemptTimeout = TimeSpan.Zero, "AttemptTimeout: The field RepriseOptions.AttemptTimeout must be more than 0 and at most 1.00:00:00, or infinite; it is 00:00:00." },
        { o => o.AttemptTimeout = TimeSpan.FromDays(2), "AttemptTimeout: The field RepriseOptions.AttemptTimeout must be more than 0 and at most 1.00:00:00, or infinite; it is 2.00:00:00." },
        { o => o.Deadline = TimeSpan.FromSeconds(-5), "Deadline: The field RepriseOptions.Deadline must be more than 0 and at most 1.00:00:00, or infinite; it is -00:00:05." },
        { o => o.Deadline = TimeSpan.FromMilliseconds(-2), "Deadline: The field RepriseOptions.Deadline must be more than 0 and at most 1.00:00:00, or infinite; it is -00:00:00.0020000." },
        { o => o.MaxReplayableBodySize = -1, "MaxReplayableBodySize: The field RepriseOptions.MaxReplayableBodySize must be between 0 and 2147483590." },
        { o => o.MaxBufferedResponseSize = int.MaxValue, "MaxBufferedResponseSize: The field RepriseOptions.MaxBufferedResponseSize must be between 0 and 2147483590." },
        { o => o.BackoffType = (BackoffType)42, "BackoffType: The field RepriseOptions.BackoffType must be one of ExponentialWithJitter, Exponential, Constant, Linear, DecorrelatedJitter." },
    };

    public static TheoryData<Action<RepriseOptions>> ValidEdges => new()
    {
        o => { o.AttemptTimeout = Timeout.InfiniteTimeSpan; o.Deadline = Timeout.InfiniteTimeSpan; },
        o => { o.AttemptTimeout = TimeSpan.FromDays(1); o.Deadline = TimeSpan.FromTicks(1); },
        o => { o.BaseDelay = TimeSpan.Zero; o.MaxDelay = TimeSpan.Zero; o.MaxRetryAfter = TimeSpan.Zero; },
        o => { o.BaseDelay = TimeSpan.FromDays(1); o.MaxDelay = TimeSpan.FromDays(1); o.MaxRetryAfter = TimeSpan.FromDays(1); },
        o => { o.MaxAttempts = 1; o.MaxReplayableBodySize = 0; o.MaxBufferedResponseSize = 0; },
        o => { o.MaxAttempts = 100; o.MaxReplayableBodySize = 2147483590; o.MaxBufferedResponseSize = 2147483590; },
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

    [Theory]
    [MemberData(nameof(ValidEdges))]
    public void Validate_ValuesAtTheEdgesOfTheirRanges_Succeed(Action<RepriseOptions> configure)
    {
        var options = new RepriseOptions();
        configure(options);

        var result = new RepriseOptionsValidator().Validate(Options.DefaultName, options);

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Fact]
    public void Validate_Defaults_Succeed()
    {
        Assert.True(new RepriseOptionsValidator().Validate(Options.DefaultName, new RepriseOptions()).Succeeded);
    }

    [Fact]
    public void Validate_NamedOptions_NamesTheOptionsInEveryMessage()
    {
        var options = new RepriseOptions { MaxAttempts = 0, Deadline = TimeSpan.Zero };

        var result = new RepriseOptionsValidator().Validate("github", options);

        Assert.Equal(
            [
                "MaxAttempts: The field github.MaxAttempts must be between 1 and 100.",
                "Deadline: The field github.Deadline must be more than 0 and at most 1.00:00:00, or infinite; it is 00:00:00.",
            ],
            result.Failures);
    }

    [Fact]
    public void BackoffTypeMessage_ListsEveryBackoffType()
    {
        var listed = RepriseDefaults.BackoffTypeMessage["The field {0} must be one of ".Length..^1];

        Assert.Equal(string.Join(", ", Enum.GetNames<BackoffType>()), listed);
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
