using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Reprise.Bulk;

/// <summary>Options of the bulk engine: retries, how many requests run at once, and what happens to bodies.</summary>
/// <remarks>
/// The engine reads the options when it is built and validates them then, as dependency injection does on start
/// (an <see cref="OptionsValidationException"/> whose messages name each option out of range).
/// </remarks>
public sealed class BulkOptions
{
    /// <summary>Gets or sets the retry options of every request: statuses, attempts, backoff, timeouts, deadline.</summary>
    /// <value>The default value is a new <see cref="RepriseOptions"/> with its defaults.</value>
    [Required]
    [ValidateObjectMembers(typeof(RepriseOptionsValidator))]
    public RepriseOptions Retry { get; set; } = new();

    /// <summary>Gets or sets the most attempts in flight at once, across every host (the engine's workers).</summary>
    /// <value>The default value is 50. Allowed: 1 to 10,000.</value>
    [Range(1, BulkDefaults.MaxConcurrencyLimit)]
    public int MaxConcurrency { get; set; } = BulkDefaults.MaxConcurrency;

    /// <summary>
    /// Gets or sets the most input requests in progress at once: read but not yet returned, whether in flight,
    /// waiting for a retry, waiting for a paused host, or a result not yet taken by the caller. It bounds memory:
    /// the input is read only as requests finish.
    /// </summary>
    /// <value>The default value is 10,000. Allowed: <see cref="MaxConcurrency"/> to 10,000,000.</value>
    [Range(1, BulkDefaults.MaxPendingRequestsLimit)]
    public int MaxPendingRequests { get; set; } = BulkDefaults.MaxPendingRequests;

    /// <summary>Gets or sets what is done with the body of each final response.</summary>
    /// <value>The default value is <see cref="BulkBodyHandling.Discard"/>.</value>
    [EnumDataType(typeof(BulkBodyHandling), ErrorMessage = BulkOptionsValidator.BodyHandlingMessage)]
    public BulkBodyHandling BodyHandling { get; set; } = BulkBodyHandling.Discard;

    /// <summary>
    /// Gets or sets the largest body kept with <see cref="BulkBodyHandling.Memory"/>. A larger body fails its request
    /// with an error that says so; the engine never holds more than this per request.
    /// </summary>
    /// <value>The default value is 1 MiB. Allowed: 0 to 2,147,483,591 bytes.</value>
    [Range(0L, BulkDefaults.MaxBodyInMemoryLimit)]
    public long MaxBodyInMemory { get; set; } = BulkDefaults.MaxBodyInMemory;

    /// <summary>Gets or sets where bodies go with <see cref="BulkBodyHandling.Sink"/>; required then.</summary>
    /// <value>The default value is null.</value>
    public IBulkBodySink? BodySink { get; set; }
}
