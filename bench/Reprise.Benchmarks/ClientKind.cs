namespace Reprise.Benchmarks;

/// <summary>The handler chains measured, each over an <see cref="InMemoryHandler"/>.</summary>
public enum ClientKind
{
    /// <summary>A bare <see cref="HttpMessageInvoker"/> over the in-memory handler.</summary>
    None,

    /// <summary>Reprise's handler.</summary>
    Reprise,

    /// <summary>Diagnostic: Reprise's handler without attempt timeout and deadline (no timers per request).</summary>
    RepriseNoTimeouts,

    /// <summary>Diagnostic: Reprise's handler with host coordination disabled (<see cref="Hosts.HostCoordinationOptions.Disabled"/>).</summary>
    RepriseNoHosts,

    /// <summary>Polly v8's retry strategy alone, as a handler.</summary>
    PollyRetry,

    /// <summary>Microsoft.Extensions.Http.Resilience's standard handler.</summary>
    StandardResilience,
}
