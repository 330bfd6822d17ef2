using System.CommandLine;
using Reprise.Cli.Get;

namespace Reprise.Cli.Commands;

/// <summary><c>get</c>'s options that curl users type without thinking, with curl's names and meanings.</summary>
internal sealed class GetCurlOptions
{
    public GetCurlOptions()
    {
        WriteOut.Validators.Add(static result =>
        {
            if (result.GetValueOrDefault<string?>() is { } template && !Get.WriteOut.TryValidate(template, out var error))
            {
                result.AddError(error);
            }
        });
        ConnectTimeout = RetryCliOptions.DurationOption("--connect-timeout", "Time limit of opening a connection, within each attempt's limit", Timeout.InfiniteTimeSpan);
    }

    public Option<string?> DataBinary { get; } = new("--data-binary")
    {
        Description = "The request body, exactly: text, @file or @- (stdin), newlines kept.",
        HelpName = "data",
    };

    public Option<string?> Json { get; } = new("--json")
    {
        Description = "A JSON body (text, @file or @-), sent as POST with Content-Type and Accept application/json.",
        HelpName = "data",
    };

    public Option<bool> Include { get; } = new("--include", "-i")
    {
        Description = "Write the status line and the response headers to stdout before the body.",
    };

    public Option<bool> Head { get; } = new("--head", "-I")
    {
        Description = "Send HEAD and write the status line and the response headers.",
    };

    public Option<string?> User { get; } = new("--user", "-u")
    {
        Description = "user:password for Basic authentication (the password is never shown).",
        HelpName = "user:password",
    };

    public Option<bool> Insecure { get; } = new("--insecure", "-k")
    {
        Description = "Do not check the server's TLS certificate.",
    };

    public Option<TimeSpan?> ConnectTimeout { get; }

    public Option<string?> WriteOut { get; } = new("--write-out", "-w")
    {
        Description = "Write this after the body, such as '%{http_code} %{time_total}\\n' (docs/cli.md lists the variables).",
        HelpName = "format",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(DataBinary);
        command.Options.Add(Json);
        command.Options.Add(Include);
        command.Options.Add(Head);
        command.Options.Add(User);
        command.Options.Add(Insecure);
        command.Options.Add(ConnectTimeout);
        command.Options.Add(WriteOut);
    }

    /// <summary>Which body option was given, and its value; an error when more than one was.</summary>
    public (string? Value, DataKind Kind, string? Error) Body(ParseResult parseResult, Option<string?> data)
    {
        var given = new List<(string Name, string Value, DataKind Kind)>();
        Add(data, DataKind.Data);
        Add(DataBinary, DataKind.Binary);
        Add(Json, DataKind.Json);
        return given.Count switch
        {
            0 => (null, DataKind.Data, null),
            1 => (given[0].Value, given[0].Kind, null),
            _ => (null, DataKind.Data, $"{given[0].Name} and {given[1].Name} both give a body; give one."),
        };

        void Add(Option<string?> option, DataKind kind)
        {
            if (parseResult.GetValue(option) is { } value)
            {
                given.Add((option.Name, value, kind));
            }
        }
    }
}
