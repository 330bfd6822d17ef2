using System.Diagnostics.CodeAnalysis;

namespace Reprise.Cli.Parsing;

/// <summary>Parses a <c>-H/--header</c> value, <c>Name: value</c>, as curl writes it.</summary>
internal static class HeaderParser
{
    public static bool TryParse(string text, out KeyValuePair<string, string> header, [NotNullWhen(false)] out string? error)
    {
        header = default;
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        var name = colon < 0 ? string.Empty : text[..colon].Trim();
        if (name.Length == 0 || !IsToken(name))
        {
            // The value may be a secret: the message names the header at most, never echoes the text.
            error = colon <= 0
                ? "a header must be written 'Name: value'."
                : $"'{Sanitize(name)}' is not a valid header name.";
            return false;
        }

        var value = text[(colon + 1)..].Trim();
        if (value.AsSpan().ContainsAny('\r', '\n'))
        {
            error = $"the value of header '{name}' contains a line break.";
            return false;
        }

        header = new KeyValuePair<string, string>(name, value);
        error = null;
        return true;
    }

    // RFC 9110 token characters.
    private static bool IsToken(string name)
    {
        foreach (var c in name)
        {
            if (c > 127 || !(char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c, StringComparison.Ordinal)))
            {
                return false;
            }
        }

        return true;
    }

    private static string Sanitize(string name) => name.Length > 40 ? name[..40] + "..." : name;
}
