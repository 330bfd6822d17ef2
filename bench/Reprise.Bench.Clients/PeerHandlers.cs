using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.Retry;
using Reprise.Hosts;

namespace Reprise.Bench.Clients;

/// <summary>Builds each retrying handler under test over a given inner handler, from the same <see cref="RetrySettings"/>.</summary>
public static class PeerHandlers
{
    /// <summary>Builds Reprise's handler with its own host registry.</summary>
    /// <param name="inner">The handler that sends each attempt.</param>
    /// <param name="settings">The shared settings.</param>
    /// <param name="hosts">The registry's host coordination options; Reprise's defaults when null.</param>
    /// <returns>The handler.</returns>
    public static RepriseHandler CreateReprise(HttpMessageHandler inner, RetrySettings settings, HostCoordinationOptions? hosts = null)
        => new(inner, CreateRepriseOptions(settings), new HostRegistry(hosts ?? new HostCoordinationOptions()));

    /// <summary>Maps the shared settings onto Reprise's options; everything else keeps Reprise's defaults.</summary>
    /// <param name="settings">The shared settings.</param>
    /// <returns>The options.</returns>
    public static RepriseOptions CreateRepriseOptions(RetrySettings settings) => new()
    {
        MaxAttempts = settings.MaxAttempts,
        BaseDelay = settings.BaseDelay,
        AttemptTimeout = settings.AttemptTimeout,
        Deadline = settings.Deadline,
    };

    /// <summary>
    /// Builds Polly's retry strategy alone as a handler: exponential backoff with Polly's jitter, the same statuses
    /// as Reprise's default (408, 429, 500, 502, 503, 504) and transport errors; no attempt timeout, no Retry-After.
    /// </summary>
    /// <param name="inner">The handler that sends each attempt.</param>
    /// <param name="settings">The shared settings.</param>
    /// <returns>The handler.</returns>
    public static PollyRetryHandler CreatePolly(HttpMessageHandler inner, RetrySettings settings)
    {
        var pipeline = new ResiliencePipelineBuilder<HttpResponseMessage>()
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = settings.MaxAttempts - 1,
                Delay = settings.BaseDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = new PredicateBuilder<HttpResponseMessage>()
                    .Handle<HttpRequestException>()
                    .HandleResult(static r => IsTransient(r.StatusCode)),
            })
            .Build();
        return new PollyRetryHandler(pipeline, inner);
    }

    /// <summary>
    /// Builds Microsoft.Extensions.Http.Resilience's standard handler the way an application gets it: a named client
    /// in a <see cref="ServiceCollection"/>, <c>AddStandardResilienceHandler</c>, and the handler chain from
    /// <see cref="IHttpMessageHandlerFactory"/> with <paramref name="inner"/> as its primary handler. The factory's
    /// logging handlers are removed so that only the resilience handler is measured.
    /// </summary>
    /// <param name="inner">The handler that sends each attempt.</param>
    /// <param name="settings">The shared settings.</param>
    /// <returns>The handler chain and the service provider that owns it (dispose it last).</returns>
    public static (HttpMessageHandler Handler, IDisposable Owner) CreateStandard(HttpMessageHandler inner, RetrySettings settings)
    {
        const string Name = "standard";
        var services = new ServiceCollection();
        services.AddHttpClient(Name)
            .ConfigurePrimaryHttpMessageHandler(() => inner)
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)
            .RemoveAllLoggers()
            .AddStandardResilienceHandler(o =>
            {
                o.Retry.MaxRetryAttempts = settings.MaxAttempts - 1;
                o.Retry.Delay = settings.BaseDelay;
                o.AttemptTimeout.Timeout = settings.AttemptTimeout;
                o.TotalRequestTimeout.Timeout = settings.Deadline;
                var sampling = 2 * settings.AttemptTimeout;
                if (o.CircuitBreaker.SamplingDuration < sampling)
                {
                    o.CircuitBreaker.SamplingDuration = sampling;
                }

                if (!settings.StandardCircuitBreaker)
                {
                    o.CircuitBreaker.MinimumThroughput = int.MaxValue;
                }
            });
        var provider = services.BuildServiceProvider();
        var handler = provider.GetRequiredService<IHttpMessageHandlerFactory>().CreateHandler(Name);
        return (handler, provider);
    }

    private static bool IsTransient(HttpStatusCode status)
        => status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests or HttpStatusCode.InternalServerError
            or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;
}
