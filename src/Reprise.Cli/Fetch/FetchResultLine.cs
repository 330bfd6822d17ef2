using System.Text.Json.Serialization;

namespace Reprise.Cli.Fetch;

/// <summary>One line of the results file of <c>reprise fetch</c>: what happened to one input URL.</summary>
/// <remarks>docs/cli.md documents the fields; they are written snake_case by <see cref="FetchJsonContext"/>.</remarks>
internal sealed class FetchResultLine
{
    /// <summary>Gets the URL as the input line gave it (the key <c>--resume</c> matches on).</summary>
    public required string Url { get; init; }

    /// <summary>Gets the id given after the URL on its input line, or null (then the field is left out).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Id { get; init; }

    public bool Ok { get; init; }

    /// <summary>Gets how the request ended: succeeded, failed, invalid_input.</summary>
    public required string Outcome { get; init; }

    /// <summary>Gets the status of the last response, or null when none came back.</summary>
    public int? Status { get; init; }

    /// <summary>Gets why no further attempt was made (<see cref="StopNames"/>): final_status, attempts_exhausted, deadline...</summary>
    public string? Stop { get; init; }

    public int Attempts { get; init; }

    public long ElapsedMs { get; init; }

    public long Bytes { get; init; }

    /// <summary>Gets what went wrong, in one line; null when <see cref="Ok"/>.</summary>
    public string? Error { get; init; }

    /// <summary>Gets the file the body was saved to (<c>--bodies</c>), or null.</summary>
    public string? BodyPath { get; init; }
}
