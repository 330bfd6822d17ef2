using System.Runtime.CompilerServices;

namespace Reprise.Cli.Fetch;

/// <summary>Keeps the input lines of one shard (<c>--shard K/N</c>); every line when there is no shard.</summary>
internal static class FetchShardFilter
{
    public static IAsyncEnumerable<FetchInputLine> Select(IAsyncEnumerable<FetchInputLine> lines, FetchShard? shard)
        => shard is { } only ? SelectAsync(lines, only) : lines;

    private static async IAsyncEnumerable<FetchInputLine> SelectAsync(
        IAsyncEnumerable<FetchInputLine> lines,
        FetchShard shard,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var line in lines.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (shard.Contains(line.Url))
            {
                yield return line;
            }
        }
    }
}
