using System.CommandLine;
using Reprise.Cli.Fetch;

namespace Reprise.Cli.Commands;

/// <summary><c>--shard K/N</c> of <c>fetch</c>: this process takes the input lines whose host hashes to shard K of N.</summary>
internal static class ShardCliOption
{
    public static Option<FetchShard?> Create() => new("--shard")
    {
        Description = "Take only the lines whose host (scheme://host:port) hashes to shard K of N (K from 0 to N-1, as JOB_COMPLETION_INDEX counts); lines with no valid host go to shard 0. Run N processes, each with its own --out.",
        HelpName = "K/N",
        CustomParser = static result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : string.Empty;
            if (!FetchShard.TryParse(text, out var shard, out var error))
            {
                result.AddError(error);
                return null;
            }

            return shard;
        },
    };
}
