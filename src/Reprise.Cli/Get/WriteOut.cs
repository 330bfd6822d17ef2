using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace Reprise.Cli.Get;

/// <summary>
/// curl's <c>-w/--write-out</c>: a template with <c>%{variable}</c>, written to stdout after the body.
/// <c>\n</c>, <c>\r</c>, <c>\t</c> and <c>%%</c> are read as curl reads them.
/// </summary>
internal static class WriteOut
{
    /// <summary>The variables, as docs/cli.md lists them.</summary>
    public static readonly IReadOnlyList<string> Variables = ["http_code", "response_code", "time_total", "num_attempts", "stop", "url_effective", "exitcode"];

    /// <summary>Checks a template while parsing, so that a typo fails before any request.</summary>
    public static bool TryValidate(string template, [NotNullWhen(false)] out string? error)
    {
        foreach (var name in Names(template))
        {
            if (!Variables.Contains(name))
            {
                error = $"--write-out: unknown variable '%{{{name}}}'; known: {string.Join(", ", Variables.Select(static v => $"%{{{v}}}"))}.";
                return false;
            }
        }

        error = null;
        return true;
    }

    public static string Format(string template, IReadOnlyDictionary<string, string> values)
    {
        var builder = new StringBuilder(template.Length + 16);
        for (var i = 0; i < template.Length; i++)
        {
            var c = template[i];
            if (c == '\\' && i + 1 < template.Length && template[i + 1] is 'n' or 'r' or 't' or '\\')
            {
                builder.Append(template[++i] switch { 'n' => '\n', 'r' => '\r', 't' => '\t', _ => '\\' });
            }
            else if (c == '%' && i + 1 < template.Length && template[i + 1] == '%')
            {
                builder.Append('%');
                i++;
            }
            else if (c == '%' && i + 1 < template.Length && template[i + 1] == '{' && template.IndexOf('}', i) is var end and > 0)
            {
                builder.Append(values.GetValueOrDefault(template[(i + 2)..end], string.Empty));
                i = end;
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    /// <summary>Seconds with microseconds, as curl writes <c>%{time_total}</c>.</summary>
    public static string Seconds(TimeSpan elapsed) => elapsed.TotalSeconds.ToString("0.000000", CultureInfo.InvariantCulture);

    private static IEnumerable<string> Names(string template)
    {
        for (var i = 0; i < template.Length - 1; i++)
        {
            if (template[i] == '%' && template[i + 1] == '%')
            {
                i++;
            }
            else if (template[i] == '%' && template[i + 1] == '{' && template.IndexOf('}', i) is var end and > 0)
            {
                yield return template[(i + 2)..end];
                i = end;
            }
        }
    }
}
