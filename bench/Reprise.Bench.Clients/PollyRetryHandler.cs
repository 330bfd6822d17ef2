using Polly;

namespace Reprise.Bench.Clients;

/// <summary>
/// Polly v8's retry strategy alone, as a <see cref="DelegatingHandler"/>: what a blog post's "Polly retry
/// handler" looks like. It re-sends the same request message and has no attempt timeout of its own.
/// </summary>
public sealed class PollyRetryHandler : DelegatingHandler
{
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;

    /// <summary>Initializes a new instance of the <see cref="PollyRetryHandler"/> class.</summary>
    /// <param name="pipeline">The pipeline each request runs through.</param>
    /// <param name="innerHandler">The handler that sends each attempt.</param>
    public PollyRetryHandler(ResiliencePipeline<HttpResponseMessage> pipeline, HttpMessageHandler innerHandler)
        : base(innerHandler)
    {
        _pipeline = pipeline;
    }

    /// <inheritdoc/>
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        => _pipeline.ExecuteAsync(
            static (state, token) => new ValueTask<HttpResponseMessage>(state.Handler.SendOnceAsync(state.Request, token)),
            (Handler: this, Request: request),
            cancellationToken).AsTask();

    private Task<HttpResponseMessage> SendOnceAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        => base.SendAsync(request, cancellationToken);
}
