using System.CommandLine;
using StackExchange.Redis;

namespace Reprise.Cli.Commands;

/// <summary><c>--redis &lt;connection&gt;</c> of <c>get</c> and <c>fetch</c>: share hosts' state with other processes through Redis.</summary>
internal static class RedisCliOption
{
    public static Option<string?> Create() => new("--redis")
    {
        Description = "Share each host's pause, circuit probe and rate with the other processes using this Redis (a StackExchange.Redis configuration string, such as localhost:6379). When Redis fails, the run goes on with local state.",
        HelpName = "connection",
        CustomParser = static result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : string.Empty;
            try
            {
                if (ConfigurationOptions.Parse(text).EndPoints.Count > 0)
                {
                    return text;
                }
            }
            catch (ArgumentException ex)
            {
                result.AddError($"--redis: {ex.Message.ReplaceLineEndings(" ")}");
                return null;
            }

            result.AddError($"--redis: '{text}' names no server; give host:port, such as localhost:6379.");
            return null;
        },
    };
}
