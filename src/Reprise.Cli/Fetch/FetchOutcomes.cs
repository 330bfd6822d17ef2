namespace Reprise.Cli.Fetch;

/// <summary>The values of the <c>outcome</c> field of a result line.</summary>
internal static class FetchOutcomes
{
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    public const string InvalidInput = "invalid_input";
}
