using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Reprise.Cli.Parsing;

/// <summary>Parses a rate such as <c>50/s</c>, <c>3000/m</c>, <c>100/h</c> or a plain number per second.</summary>
internal static class RateParser
{
    public const double Max = 1_000_000;

    public static bool TryParse(string? text, out double perSecond, [NotNullWhen(false)] out string? error)
    {
        perSecond = 0;
        var span = text.AsSpan().Trim();
        var slash = span.IndexOf('/');
        var number = slash < 0 ? span : span[..slash];
        var unit = slash < 0 ? "s" : span[(slash + 1)..].ToString().ToLowerInvariant();
        var scale = unit switch
        {
            "s" => 1.0,
            "m" => 1.0 / 60,
            "h" => 1.0 / 3600,
            _ => double.NaN,
        };
        if (double.IsNaN(scale)
            || !double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount)
            || amount <= 0
            || amount * scale > Max
            || amount * scale < 0.001)
        {
            error = $"'{text}' is not a rate: use requests per second, minute or hour (50/s, 3000/m, 100/h), from 0.001/s to 1000000/s.";
            return false;
        }

        perSecond = amount * scale;
        error = null;
        return true;
    }
}
