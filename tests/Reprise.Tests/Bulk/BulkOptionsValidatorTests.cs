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
    [InlineData(0, 100, "MaxConcurrency must be between 1 and 10000; it is 0.")]
    [InlineData(10_001, 20_000, "MaxConcurrency must be between 1 and 10000; it is 10001.")]
    [InlineData(10, 0, "MaxPendingRequests must be between 1 and 10000000; it is 0.")]
    [InlineData(50, 10, "MaxPendingRequests must be at least MaxConcurrency (50), or workers stand idle; it is 10.")]
    public void Validate_ConcurrencyOutOfRange_NamesTheOption(int concurrency, int pending, string expected)
    {
        var options = new BulkOptions { MaxConcurrency = concurrency, MaxPendingRequests = pending };

        var result = new BulkOptionsValidator().Validate(null, options);

        Assert.Equal([expected], result.Failures);
    }

    [Fact]
    public void Validate_SinkWithoutBodySink_NamesBothOptions()
    {
        var result = new BulkOptionsValidator().Validate(null, new BulkOptions { BodyHandling = BulkBodyHandling.Sink });

        Assert.Equal(["BodySink is required when BodyHandling is Sink."], result.Failures);
    }

    [Fact]
    public void Validate_NegativeMemoryCap_NamesTheOption()
    {
        var result = new BulkOptionsValidator().Validate(null, new BulkOptions { MaxBodyInMemory = -1 });

        Assert.Equal(["MaxBodyInMemory must be between 0 and 2147483591 bytes; it is -1."], result.Failures);
    }

    [Fact]
    public void Validate_BadRetryOption_IsPrefixedWithRetry()
    {
        var result = new BulkOptionsValidator().Validate(null, new BulkOptions { Retry = new RepriseOptions { MaxAttempts = 0 } });

        Assert.Equal(["Retry.MaxAttempts must be between 1 and 100; it is 0."], result.Failures);
    }

    [Fact]
    public void Constructor_InvalidOptions_ThrowsBeforeCreatingAHandler()
    {
        var error = Assert.Throws<OptionsValidationException>(() => new BulkEngine(new BulkOptions { MaxConcurrency = 0 }));

        Assert.Equal("MaxConcurrency must be between 1 and 10000; it is 0.", error.Message);
    }
}
