using Microsoft.Extensions.Options;
using Reprise.Bulk;

namespace Reprise.Tests.Bulk;

public class BulkOptionsValidatorTests
{
    [Fact]
    public void Validate_Defaults_Succeed()
    {
        var result = new BulkOptionsValidator().Validate(null, new BulkOptions());

        Assert.True(result.Succeeded);
    }

    [Theory]
    [InlineData(0, 100, "MaxConcurrency: The field BulkOptions.MaxConcurrency must be between 1 and 10000.")]
    [InlineData(10_001, 20_000, "MaxConcurrency: The field BulkOptions.MaxConcurrency must be between 1 and 10000.")]
    [InlineData(10, 0, "MaxPendingRequests: The field BulkOptions.MaxPendingRequests must be between 1 and 10000000.")]
    [InlineData(10, 10_000_001, "MaxPendingRequests: The field BulkOptions.MaxPendingRequests must be between 1 and 10000000.")]
    [InlineData(50, 10, "MaxPendingRequests: The field BulkOptions.MaxPendingRequests must be at least MaxConcurrency (50), or workers stand idle; it is 10.")]
    public void Validate_ConcurrencyOutOfRange_NamesTheOption(int concurrency, int pending, string expected)
    {
        var options = new BulkOptions { MaxConcurrency = concurrency, MaxPendingRequests = pending };

        var result = new BulkOptionsValidator().Validate(null, options);

        Assert.Equal([expected], result.Failures);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(10_000, 10_000)]
    [InlineData(10_000, 10_000_000)]
    public void Validate_ConcurrencyAtTheEdges_Succeeds(int concurrency, int pending)
    {
        var options = new BulkOptions { MaxConcurrency = concurrency, MaxPendingRequests = pending };

        Assert.True(new BulkOptionsValidator().Validate(null, options).Succeeded);
    }

    [Fact]
    public void Validate_SinkWithoutBodySink_NamesBothOptions()
    {
        var result = new BulkOptionsValidator().Validate(null, new BulkOptions { BodyHandling = BulkBodyHandling.Sink });

        Assert.Equal(["BodySink: The field BulkOptions.BodySink is required when BodyHandling is Sink."], result.Failures);
    }

    [Fact]
    public void Validate_UndefinedBodyHandling_ListsTheValues()
    {
        var result = new BulkOptionsValidator().Validate(null, new BulkOptions { BodyHandling = (BulkBodyHandling)7 });

        Assert.Equal(["BodyHandling: The field BulkOptions.BodyHandling must be one of Discard, Memory, Sink."], result.Failures);
    }

    [Fact]
    public void BodyHandlingMessage_ListsEveryBodyHandling()
    {
        var listed = BulkOptionsValidator.BodyHandlingMessage["The field {0} must be one of ".Length..^1];

        Assert.Equal(string.Join(", ", Enum.GetNames<BulkBodyHandling>()), listed);
    }

    [Theory]
    [InlineData(-1L)]
    [InlineData(2147483592L)]
    public void Validate_MemoryCapOutOfRange_NamesTheOption(long cap)
    {
        var result = new BulkOptionsValidator().Validate(null, new BulkOptions { MaxBodyInMemory = cap });

        Assert.Equal(["MaxBodyInMemory: The field BulkOptions.MaxBodyInMemory must be between 0 and 2147483591."], result.Failures);
    }

    [Fact]
    public void Validate_NoRetryOptions_NamesTheOption()
    {
        var result = new BulkOptionsValidator().Validate(null, new BulkOptions { Retry = null! });

        Assert.Equal(["Retry: The BulkOptions.Retry field is required."], result.Failures);
    }

    [Fact]
    public void Validate_BadRetryOption_NamesItUnderRetry()
    {
        var result = new BulkOptionsValidator().Validate(null, new BulkOptions { Retry = new RepriseOptions { MaxAttempts = 0 } });

        Assert.Equal(["MaxAttempts: The field BulkOptions.Retry.MaxAttempts must be between 1 and 100."], result.Failures);
    }

    [Fact]
    public void Validate_BadRetryCrossFieldRule_NamesItUnderRetry()
    {
        var retry = new RepriseOptions { BaseDelay = TimeSpan.FromSeconds(2), MaxDelay = TimeSpan.FromSeconds(1), Deadline = TimeSpan.Zero };

        var result = new BulkOptionsValidator().Validate("ingest", new BulkOptions { Retry = retry });

        Assert.Equal(
            [
                "MaxDelay: The field ingest.Retry.MaxDelay must be at least BaseDelay (00:00:02); it is 00:00:01.",
                "Deadline: The field ingest.Retry.Deadline must be more than 0 and at most 1.00:00:00, or infinite; it is 00:00:00.",
            ],
            result.Failures);
    }

    [Fact]
    public void Constructor_InvalidOptions_ThrowsBeforeCreatingAHandler()
    {
        var error = Assert.Throws<OptionsValidationException>(() => new BulkEngine(new BulkOptions { MaxConcurrency = 0 }));

        Assert.Equal("MaxConcurrency: The field BulkOptions.MaxConcurrency must be between 1 and 10000.", error.Message);
    }

    [Fact]
    public void Constructor_InvalidRetryOptions_ThrowsTheValidatorsMessage()
    {
        var options = new BulkOptions { Retry = new RepriseOptions { AttemptTimeout = TimeSpan.Zero } };
        using var handler = new HttpClientHandler();

        var error = Assert.Throws<OptionsValidationException>(() => new BulkEngine(handler, options));

        Assert.Equal(
            "AttemptTimeout: The field BulkOptions.Retry.AttemptTimeout must be more than 0 and at most 1.00:00:00, or infinite; it is 00:00:00.",
            error.Message);
    }
}
