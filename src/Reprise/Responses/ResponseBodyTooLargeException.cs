using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Reprise.Responses;

/// <summary>
/// A response body was larger than allowed (counted after decompression). Never retried: the server would send the
/// same body again.
/// </summary>
[SuppressMessage("Design", "CA1032:Implement standard exception constructors", Justification = "Made only where a body is counted, always with its limit.")]
public sealed class ResponseBodyTooLargeException : HttpIOException
{
    internal ResponseBodyTooLargeException(long limit, long? declared)
        : base(HttpRequestError.ConfigurationLimitExceeded, Describe(limit, declared))
    {
        Limit = limit;
    }

    /// <summary>Gets the most bytes the body was allowed.</summary>
    public long Limit { get; }

    private static string Describe(long limit, long? declared) => declared is { } length
        ? string.Create(CultureInfo.InvariantCulture, $"The response body is {length} bytes, more than the {limit} allowed.")
        : string.Create(CultureInfo.InvariantCulture, $"The response body is more than the {limit} bytes allowed.");
}
