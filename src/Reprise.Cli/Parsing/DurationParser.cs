using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Reprise.Cli.Parsing;

/// <summary>
/// Parses the durations of every time option: plain seconds (<c>1.5</c>) or a number with a unit
/// (<c>500ms</c>, <c>2s</c>, <c>1m</c>, <c>1h</c>), or <c>infinite</c> where a limit can be switched off.
/// </summary>
internal static class DurationParser
{
    public const string Infinite = "infinite";

    // A day bounds every time option of the library; anything longer is a typo.
    private static readonly TimeSpan Max = TimeSpan.FromDays(1);

    public static bool TryParse(string? text, out TimeSpan value, [NotNullWhen(false)] out string? error)
    {
        value = default;
        var span = text.AsSpan().Trim();
        if (span.Equals(Infinite, StringComparison.OrdinalIgnoreCase))
        {
            value = Timeout.InfiniteTimeSpan;
            error = null;
            return true;
        }

        var suffix = span.EndsWith("ms", StringComparison.OrdinalIgnoreCase) ? 2 : span.IsEmpty || char.IsAsciiDigit(span[^1]) || span[^1] == '.' ? 0 : 1;
        var number = span[..^suffix];
        var scale = suffix == 0 ? 1.0 : span[^suffix..].ToString().ToLowerInvariant() switch
        {
            "ms" => 0.001,
            "s" => 1.0,
            "m" => 60.0,
            "h" => 3600.0,
            _ => double.NaN,
        };

        // NumberStyles.AllowDecimalPoint alone rejects signs, exponents, spaces inside and "NaN".
        if (number.IsEmpty
            || double.IsNaN(scale)
            || !double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount)
            || amount * scale > Max.TotalSeconds)
        {
            error = $"'{text}' is not a duration: use seconds (1.5) or a unit (500ms, 2s, 1m, 1h), at most 1 day.";
            return false;
        }

        value = TimeSpan.FromMilliseconds(Math.Round(amount * scale * 1000, MidpointRounding.AwayFromZero));
        error = null;
        return true;
    }

    public static string Format(TimeSpan value)
    {
        if (value == Timeout.InfiniteTimeSpan)
        {
            return Infinite;
        }

        return value switch
        {
            { TotalMilliseconds: < 1000 } => string.Create(CultureInfo.InvariantCulture, $"{value.TotalMilliseconds:0}ms"),
            { TotalSeconds: < 60 } => string.Create(CultureInfo.InvariantCulture, $"{value.TotalSeconds:0.###}s"),
            _ => string.Create(CultureInfo.InvariantCulture, $"{value.TotalMinutes:0.###}m"),
        };
    }
}
