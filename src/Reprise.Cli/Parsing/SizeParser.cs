using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Reprise.Cli.Parsing;

/// <summary>Parses byte sizes as curl's <c>--max-filesize</c> takes them: <c>1048576</c>, <c>512k</c>, <c>100M</c>, <c>2G</c> (powers of 1024).</summary>
internal static class SizeParser
{
    public static bool TryParse(string? text, out long value, [NotNullWhen(false)] out string? error)
    {
        value = 0;
        var span = text.AsSpan().Trim();
        var scale = span.IsEmpty ? 1L : char.ToLowerInvariant(span[^1]) switch
        {
            'k' => 1L << 10,
            'm' => 1L << 20,
            'g' => 1L << 30,
            't' => 1L << 40,
            _ => 1L,
        };
        var number = scale == 1 ? span : span[..^1];
        if (!long.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count < 1 || count > long.MaxValue / scale)
        {
            error = $"must be a size in bytes of 1 or more, with an optional k, M, G or T; it was '{text}'.";
            return false;
        }

        value = count * scale;
        error = null;
        return true;
    }

    /// <summary>A size as people read it: <c>1G</c>, <c>100M</c>, <c>1536k</c>, or bytes.</summary>
    public static string Format(long bytes)
    {
        foreach (var (unit, scale) in new[] { ("T", 1L << 40), ("G", 1L << 30), ("M", 1L << 20), ("k", 1L << 10) })
        {
            if (bytes % scale == 0)
            {
                return string.Create(CultureInfo.InvariantCulture, $"{bytes / scale}{unit}");
            }
        }

        return bytes.ToString(CultureInfo.InvariantCulture);
    }
}
