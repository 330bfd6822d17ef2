using System.CommandLine;
using Reprise.Cli.Parsing;

namespace Reprise.Cli.Commands;

/// <summary>curl's <c>--max-filesize</c>: the most body bytes read, counted after decompression.</summary>
internal static class BodyLimitCliOption
{
    /// <summary>The default of <c>get</c>: one download may be large, but a compressed bomb may not fill the disk.</summary>
    public const long GetDefault = 1L << 30;

    /// <summary>The default of <c>fetch</c>: the bulk engine's own (<c>BulkOptions.MaxBodySize</c>).</summary>
    public const long FetchDefault = 100L << 20;

    /// <summary>The option; null when not given, its default stated in the description rather than shown raw by the help.</summary>
    public static Option<long?> Create(long defaultValue) => new("--max-filesize")
    {
        Description = $"The most body bytes read, counted after decompression (k, M, G suffixes); more fails the request [default: {SizeParser.Format(defaultValue)}]",
        HelpName = "bytes",
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : string.Empty;
            if (!SizeParser.TryParse(text, out var value, out var error))
            {
                result.AddError($"--max-filesize {error}");
                return defaultValue;
            }

            return value;
        },
    };
}
