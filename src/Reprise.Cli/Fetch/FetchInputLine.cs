namespace Reprise.Cli.Fetch;

/// <summary>One request line of the input: a URL (not yet checked) and an optional id.</summary>
internal sealed record FetchInputLine(long Line, string Url, string? Id);
