using System.CommandLine;
using Reprise.Cli.Parsing;
using StackExchange.Redis;

namespace Reprise.Cli.Commands;

/// <summary>
/// <c>--redis &lt;connection&gt;</c> and <c>--redis-timeout</c> of <c>get</c> and <c>fetch</c>: share hosts' state with
/// other processes through Redis, and how long one Redis call may take.
/// </summary>
internal static class RedisCliOption
{
    /// <summary>The library's default <see cref="Reprise.Redis.RedisHostStateOptions.OperationTimeout"/>.</summary>
    public static readonly TimeSpan DefaultTimeout = new Reprise.Redis.RedisHostStateOptions().OperationTimeout;

    private static readonly TimeSpan MinTimeout = TimeSpan.FromMilliseconds(1);
    private static readonly TimeSpan MaxTimeout = TimeSpan.FromSeconds(10);

    public static Option<TimeSpan?> CreateTimeout() => new("--redis-timeout")
    {
        Description = $"With --redis, the longest one Redis call may take (1ms to 10s) before the run goes on with local state: 1.5, 500ms, 2s or 1m [default: {DurationParser.Format(DefaultTimeout)}]",
        HelpName = "duration",
        CustomParser = static result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : string.Empty;
            if (!DurationParser.TryParse(text, out var value, out var error))
            {
                result.AddError($"--redis-timeout: {error}");
                return null;
            }

            if (value < MinTimeout || value > MaxTimeout)
            {
                result.AddError($"--redis-timeout must be from 1ms to 10s; it was '{text}'.");
                return null;
            }

            return value;
        },
    };

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
