namespace Reprise.Benchmarks;

/// <summary>The handler chains measured, each over an <see cref="InMemoryHandler"/>.</summary>
public enum ClientKind
{
    /// <summary>A bare <see cref="HttpMessageInvoker"/> over the in-memory handler.</summary>
    None,

    /// <summary>Reprise's handler.</summary>
    Reprise,

    /// <summary>Polly v8's retry strategy alone, as a handler.</summary>
    PollyRetry,

    /// <summary>Microsoft.Extensions.Http.Resilience's standard handler.</summary>
    StandardResilience,
}
