using System.Globalization;
using System.IO.Hashing;
using System.Text;

namespace Reprise.Cli.Fetch;

/// <summary>
/// One shard of a <c>reprise fetch</c> input split across processes (<c>--shard K/N</c>): the lines whose host key
/// (<c>scheme://host:port</c>) hashes to <see cref="Index"/>. The hash is XxHash64 of the key's UTF-8 bytes, seed 0,
/// so every machine and every run splits a list the same way; a line with no valid host goes to shard 0, so every
/// input line still gets exactly one result across the shards.
/// </summary>
/// <param name="Index">This process's shard, from 0 to <paramref name="Count"/> - 1 (as <c>JOB_COMPLETION_INDEX</c> counts).</param>
/// <param name="Count">How many shards the input is split into.</param>
internal readonly record struct FetchShard(int Index, int Count)
{
    /// <summary>The most shards a list may be split into.</summary>
    public const int MaxCount = 10_000;

    /// <summary>Parses <c>K/N</c>; the error names the option and what is allowed.</summary>
    public static bool TryParse(string text, out FetchShard shard, out string error)
    {
        shard = default;
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0
            || !int.TryParse(text.AsSpan(0, slash), NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            || !int.TryParse(text.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var count))
        {
            error = $"--shard must be K/N, such as 0/4 (K from 0 to N-1); it was '{text}'.";
            return false;
        }

        if (count < 1 || count > MaxCount || index >= count)
        {
            error = string.Create(CultureInfo.InvariantCulture, $"--shard K/N needs N from 1 to {MaxCount} and K from 0 to N-1; it was '{text}'.");
            return false;
        }

        shard = new FetchShard(index, count);
        error = string.Empty;
        return true;
    }

    /// <summary>Whether <paramref name="url"/> (as written in the input) belongs to this shard.</summary>
    public bool Contains(string url) => IndexOf(url, Count) == Index;

    /// <summary>The shard of <paramref name="url"/> among <paramref name="count"/>: by its host key's hash, or 0 with no valid host.</summary>
    public static int IndexOf(string url, int count) => HostKey(url) is { } key ? (int)(Hash(key) % (ulong)count) : 0;

    /// <summary>
    /// The host key <c>scheme://host:port</c> of an absolute http or https URL, as the host registry names hosts
    /// (IDN host without IPv6 brackets, explicit port); null when the line names no valid host.
    /// </summary>
    public static string? HostKey(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) || uri.IdnHost.Length == 0)
        {
            return null;
        }

        return string.Create(CultureInfo.InvariantCulture, $"{uri.Scheme}://{uri.IdnHost}:{uri.Port}");
    }

    /// <summary>XxHash64 (seed 0) of the key's UTF-8 bytes: the same on every machine, unlike <see cref="string.GetHashCode()"/>.</summary>
    public static ulong Hash(string hostKey) => XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(hostKey));

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Index}/{Count}");
}
