using System.CommandLine;
using Reprise.Cli.Parsing;
using StackExchange.Redis;

namespace Reprise.Cli.Commands;

/// <summary>
/// <c>--redis &lt;connection&gt;</c>, <c>--redis-timeout</c> and <c>--redis-connect-timeout</c> of <c>get</c> and <c>fetch</c>: share hosts' state with
/// other processes through Redis, how long one Redis call may take, and how long the run waits for Redis before it starts.
/// </summary>
internal static class RedisCliOption
{
    /// <summary>The library's default <see cref="Reprise.Redis.RedisHostStateOptions.OperationTimeout"/>.</summary>
    public static readonly TimeSpan DefaultTimeout = new Reprise.Redis.RedisHostStateOptions().OperationTimeout;

    /// <summary>
    /// The default of <c>--redis-connect-timeout</c>. A Redis that answers costs only its answer; one that is down costs the
    /// whole wait (the client retries within it), as the former 1 s connect and 1 s warm-up did together.
    /// </summary>
    public static readonly TimeSpan DefaultConnectTimeout = TimeSpan.FromSeconds(2);

    private static readonly TimeSpan MinTimeout = TimeSpan.FromMilliseconds(1);
    private static readonly TimeSpan MaxTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan MaxConnectTimeout = TimeSpan.FromMinutes(1);

    public static Option<TimeSpan?> CreateTimeout() => DurationOption(
        "--redis-timeout",
        $"With --redis, the longest one Redis call may take (1ms to 10s) before the run goes on with local state: 1.5, 500ms, 2s or 1m [default: {DurationParser.Format(DefaultTimeout)}]",
        MaxTimeout,
        "10s");

    public static Option<TimeSpan?> CreateConnectTimeout() => DurationOption(
        "--redis-connect-timeout",
        $"With --redis, the longest wait before the run starts for Redis to connect and answer its first calls (1ms to 1m); past it the run starts with local state, says so on stderr, and shares once Redis answers [default: {DurationParser.Format(DefaultConnectTimeout)}]",
        MaxConnectTimeout,
        "1m");

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

    private static Option<TimeSpan?> DurationOption(string name, string description, TimeSpan max, string maxText) => new(name)
    {
        Description = description,
        HelpName = "duration",
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : string.Empty;
            if (!DurationParser.TryParse(text, out var value, out var error))
            {
                result.AddError($"{name}: {error}");
                return null;
            }

            if (value < MinTimeout || value > max)
            {
                result.AddError($"{name} must be from 1ms to {maxText}; it was '{text}'.");
                return null;
            }

            return value;
        },
    };
}
