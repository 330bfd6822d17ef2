namespace Reprise.Cli.Fetch;

/// <summary>The bounds on one input line of <c>reprise fetch</c>; docs/cli.md states them.</summary>
internal static class FetchInputLimits
{
    /// <summary>The longest URL, in octets: what RFC 9110 (section 4.1) asks every server to accept.</summary>
    public const int MaxUrlOctets = 8_000;

    /// <summary>The longest input line, in bytes (1 MiB): room for a JSON line with a body, and the most one line costs.</summary>
    public const int MaxLineBytes = 1024 * 1024;

    /// <summary>How much of an unusable URL names it in its result, when the URL itself is over the limit.</summary>
    public const int KeyPrefixChars = 64;
}
