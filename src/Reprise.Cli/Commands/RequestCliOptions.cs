using System.CommandLine;

namespace Reprise.Cli.Commands;

/// <summary>The request options that <c>get</c> and <c>fetch</c> share beside the retry options: the user agent and POST retries.</summary>
internal sealed class RequestCliOptions
{
    public Option<string?> UserAgent { get; } = new("--user-agent", "-A")
    {
        Description = $"The User-Agent header; '' sends none [default: {RequestDefaults.UserAgent}]. Accept: {RequestDefaults.Accept} is sent too unless -H gives one.",
        HelpName = "agent",
    };

    public Option<bool> RetryNonIdempotent { get; } = new("--retry-non-idempotent")
    {
        Description = "Retry POST and PATCH too (otherwise only with an Idempotency-Key header, or when the connection was refused).",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(UserAgent);
        command.Options.Add(RetryNonIdempotent);
    }

    /// <summary>The headers to send: the default User-Agent and Accept unless given, then <paramref name="headers"/>.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers(ParseResult parseResult, IReadOnlyList<KeyValuePair<string, string>> headers)
        => RequestDefaults.With(headers, parseResult.GetValue(UserAgent));

    /// <summary>Applies the retry switches to the library's options built by <see cref="RetryCliOptions"/>.</summary>
    public RepriseOptions Apply(ParseResult parseResult, RepriseOptions options)
    {
        options.RetryNonIdempotentMethods = parseResult.GetValue(RetryNonIdempotent);
        return options;
    }
}
