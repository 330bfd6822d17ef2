using System.Reflection;

namespace Reprise.Cli;

/// <summary>
/// The headers <c>get</c> and <c>fetch</c> send unless the user gives their own, as curl does: many APIs refuse a
/// request without a <c>User-Agent</c>.
/// </summary>
internal static class RequestDefaults
{
    public const string Accept = "*/*";

    /// <summary>Gets the tool's version without its build metadata (declared first: <see cref="UserAgent"/> reads it).</summary>
    public static string Version { get; } = ReadVersion();

    /// <summary>Gets <c>reprise/&lt;version&gt;</c>.</summary>
    public static string UserAgent { get; } = $"reprise/{Version}";

    /// <summary>
    /// Returns <paramref name="headers"/> with <c>User-Agent</c> (<paramref name="userAgent"/>, or the default) and
    /// <c>Accept</c> added in front, each unless the list already has one. An empty user agent sends none.
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, string>> With(IReadOnlyList<KeyValuePair<string, string>> headers, string? userAgent)
    {
        var result = new List<KeyValuePair<string, string>>(headers.Count + 2);
        var agent = userAgent ?? UserAgent;
        if (agent.Length > 0 && !Has(headers, "User-Agent"))
        {
            result.Add(new("User-Agent", agent));
        }

        if (!Has(headers, "Accept"))
        {
            result.Add(new("Accept", Accept));
        }

        result.AddRange(headers);
        return result;
    }

    public static bool Has(IReadOnlyList<KeyValuePair<string, string>> headers, string name)
    {
        foreach (var header in headers)
        {
            if (header.Key.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static string ReadVersion()
    {
        var assembly = typeof(RequestDefaults).Assembly;
        var version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? assembly.GetName().Version?.ToString(3)
            ?? "0.0.0";
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? version : version[..plus];
    }
}
