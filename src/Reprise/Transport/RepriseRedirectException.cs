using System.Diagnostics.CodeAnalysis;
using Reprise.Retry;

namespace Reprise.Transport;

/// <summary>
/// A redirect that should have been followed could not be: too many, a loop, or to a scheme that is not allowed
/// (https to http). Never retried: the server would answer the same way.
/// </summary>
[SuppressMessage("Design", "CA1032:Implement standard exception constructors", Justification = "Made only by the redirect handler, always with its reason and hops.")]
public sealed class RepriseRedirectException : HttpRequestException
{
    internal RepriseRedirectException(string message, RetryStopReason stopReason, IReadOnlyList<RedirectHop> hops)
        : base(HttpRequestError.ConfigurationLimitExceeded, message)
    {
        StopReason = stopReason;
        Hops = hops;
    }

    /// <summary>Gets why the redirect was not followed: <see cref="RetryStopReason.TooManyRedirects"/>,
    /// <see cref="RetryStopReason.RedirectLoop"/> or <see cref="RetryStopReason.InsecureRedirect"/>.</summary>
    public RetryStopReason StopReason { get; }

    /// <summary>Gets the redirects followed before the one refused.</summary>
    public IReadOnlyList<RedirectHop> Hops { get; }
}
