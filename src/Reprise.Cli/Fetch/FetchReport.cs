namespace Reprise.Cli.Fetch;

/// <summary>How a fetch run ended, and its counts.</summary>
internal sealed record FetchReport(ExitCode ExitCode, FetchSummary Summary);
