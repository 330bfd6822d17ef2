using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Text;

namespace Reprise.Retry;

/// <summary>
/// An immutable set of HTTP status codes, written as a list of codes and ranges such as <c>429,500-504</c>.
/// </summary>
[TypeConverter(typeof(StatusCodeSetConverter))]
public sealed class StatusCodeSet : IEquatable<StatusCodeSet>
{
    private const int MinCode = 100;
    private const int MaxCode = 999;

    // One bit per status code 0..1023; a set of ranges costs 128 bytes and a lookup is a shift and a mask.
    private readonly ulong[] _bits = new ulong[16];

    private StatusCodeSet()
    {
    }

    /// <summary>Gets the default set of retried statuses: 408, 429, 500, 502, 503 and 504.</summary>
    public static StatusCodeSet Default { get; } = Parse("408,429,500,502-504");

    /// <summary>Gets an empty set: no status is retried.</summary>
    public static StatusCodeSet Empty { get; } = new();

    /// <summary>Gets the number of status codes in the set.</summary>
    public int Count { get; private set; }

    /// <summary>Parses a list such as <c>429,500-504</c>. Spaces are ignored; an empty string is the empty set.</summary>
    /// <param name="value">The list of codes and inclusive ranges, separated by commas.</param>
    /// <returns>The set.</returns>
    /// <exception cref="FormatException">An entry is not a code from 100 to 999 or a range of them.</exception>
    public static StatusCodeSet Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return TryParse(value, out var set, out var error) ? set : throw new FormatException(error);
    }

    /// <summary>Tries to parse a list such as <c>429,500-504</c>.</summary>
    /// <param name="value">The list of codes and inclusive ranges, separated by commas.</param>
    /// <param name="set">The set, when parsing succeeded.</param>
    /// <returns><see langword="true"/> when the value is a valid list.</returns>
    public static bool TryParse([NotNullWhen(true)] string? value, [NotNullWhen(true)] out StatusCodeSet? set)
        => TryParse(value, out set, out _);

    /// <summary>Creates a set from individual status codes.</summary>
    /// <param name="codes">Codes from 100 to 999.</param>
    /// <returns>The set.</returns>
    public static StatusCodeSet From(params IEnumerable<int> codes)
    {
        ArgumentNullException.ThrowIfNull(codes);
        var set = new StatusCodeSet();
        foreach (var code in codes)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(code, MinCode, nameof(codes));
            ArgumentOutOfRangeException.ThrowIfGreaterThan(code, MaxCode, nameof(codes));
            set.Add(code);
        }

        return set;
    }

    /// <summary>Returns whether the set contains a status code.</summary>
    /// <param name="statusCode">The status code.</param>
    /// <returns><see langword="true"/> when the code is in the set.</returns>
    public bool Contains(int statusCode)
        => (uint)statusCode <= MaxCode && (_bits[statusCode >> 6] & (1UL << (statusCode & 63))) != 0;

    /// <summary>Returns whether the set contains a status code.</summary>
    /// <param name="statusCode">The status code.</param>
    /// <returns><see langword="true"/> when the code is in the set.</returns>
    public bool Contains(HttpStatusCode statusCode) => Contains((int)statusCode);

    /// <summary>Returns the set in its canonical written form, such as <c>408,429,500,502-504</c>.</summary>
    /// <returns>The list of codes and ranges.</returns>
    public override string ToString()
    {
        var builder = new StringBuilder();
        for (var code = MinCode; code <= MaxCode; code++)
        {
            if (!Contains(code))
            {
                continue;
            }

            var end = code;
            while (end < MaxCode && Contains(end + 1))
            {
                end++;
            }

            if (builder.Length > 0)
            {
                builder.Append(',');
            }

            builder.Append(CultureInfo.InvariantCulture, $"{code}");
            if (end > code)
            {
                builder.Append(CultureInfo.InvariantCulture, $"-{end}");
            }

            code = end;
        }

        return builder.ToString();
    }

    /// <inheritdoc/>
    public bool Equals(StatusCodeSet? other) => other is not null && _bits.AsSpan().SequenceEqual(other._bits);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as StatusCodeSet);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = default(HashCode);
        foreach (var word in _bits)
        {
            hash.Add(word);
        }

        return hash.ToHashCode();
    }

    internal static bool TryParse(string? value, [NotNullWhen(true)] out StatusCodeSet? set, out string? error)
    {
        set = null;
        if (value is null)
        {
            error = "A status list is required.";
            return false;
        }

        var result = new StatusCodeSet();
        foreach (var range in value.AsSpan().Split(','))
        {
            var entry = value.AsSpan(range).Trim();
            if (entry.IsEmpty)
            {
                continue;
            }

            var dash = entry.IndexOf('-');
            var first = dash < 0 ? entry : entry[..dash].Trim();
            var last = dash < 0 ? entry : entry[(dash + 1)..].Trim();
            if (!TryParseCode(first, out var low) || !TryParseCode(last, out var high) || low > high)
            {
                error = $"'{entry}' is not a status code from {MinCode} to {MaxCode} or a range of them such as 500-504.";
                return false;
            }

            for (var code = low; code <= high; code++)
            {
                result.Add(code);
            }
        }

        set = result;
        error = null;
        return true;
    }

    private static bool TryParseCode(ReadOnlySpan<char> text, out int code)
        => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out code) && code is >= MinCode and <= MaxCode;

    private void Add(int code)
    {
        ref var word = ref _bits[code >> 6];
        var mask = 1UL << (code & 63);
        if ((word & mask) == 0)
        {
            word |= mask;
            Count++;
        }
    }
}
