using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;

namespace Reprise.Telemetry;

/// <summary>
/// Options of Reprise's logs, metrics and traces: where they go, and how much of a request's URL they may carry.
/// Header values are never logged or tagged; the URL's query string only when <see cref="IncludeUrlQuery"/> is set.
/// </summary>
/// <remarks>
/// Metrics go to a <see cref="Meter"/> named <c>Reprise</c>, traces to an <see cref="System.Diagnostics.ActivitySource"/>
/// named <c>Reprise</c>. docs/telemetry.md lists every instrument, tag and log event.
/// </remarks>
public sealed class RepriseTelemetryOptions
{
    /// <summary>
    /// Gets or sets the factory of the loggers that Reprise writes to. With dependency injection the container's
    /// <see cref="ILoggerFactory"/> is used when this is null.
    /// </summary>
    /// <value>The default value is null: no logs, unless dependency injection provides a factory.</value>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>
    /// Gets or sets the factory of the <see cref="Meter"/> named <c>Reprise</c>. With dependency injection the
    /// container's <see cref="IMeterFactory"/> is used when this is null.
    /// </summary>
    /// <value>The default value is null: a process-wide meter named <c>Reprise</c>, unless dependency injection provides a factory.</value>
    public IMeterFactory? MeterFactory { get; set; }

    /// <summary>
    /// Gets or sets whether logs and traces carry the request's URL (<c>url.full</c>): scheme, host, port and path,
    /// never user information. Metrics never carry it: a path would make their cardinality unbounded.
    /// </summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool IncludeUrl { get; set; } = true;

    /// <summary>
    /// Gets or sets whether the URL in logs and traces keeps its query string. Tokens and keys often travel there,
    /// so it is left out unless you opt in. Has no effect without <see cref="IncludeUrl"/>.
    /// </summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool IncludeUrlQuery { get; set; }
}
