namespace Reprise.Scenarios.Reporting;

/// <summary>One row of the results: a client in a scenario, as the client and the server saw it.</summary>
internal sealed class RunRecord
{
    public required string Scenario { get; init; }

    public required string Client { get; init; }

    public long Urls { get; init; }

    /// <summary>Gets the client's own report; null when the client did not run to the end.</summary>
    public ClientReport? ClientReport { get; init; }

    /// <summary>Gets the machine's 1-minute load average when the client's run ended (Linux), to tell a quiet run from a busy one.</summary>
    public double? LoadAverage { get; init; }

    public ServerReport? Server { get; init; }

    /// <summary>Gets the processor time of the client's whole process (user + system, start-up included; Linux), or null.</summary>
    public double? CpuSeconds { get; init; }

    /// <summary>Gets why the client did not run to the end, or null.</summary>
    public string? Failure { get; init; }

    /// <summary>
    /// Gets whether the client ran and every URL got a result, or it was stopped at the scenario's cap (which the
    /// table shows): the smoke test's only criteria.
    /// </summary>
    public bool Complete => Failure is null && ClientReport is { } r && (r.Results == r.Urls || r.Capped);
}
