using System.Text;
using Reprise.Cli.Console;

namespace Reprise.Cli.Get;

/// <summary>How a body option was given, as curl reads each: <c>-d</c>, <c>--data-binary</c>, <c>--json</c>.</summary>
internal enum DataKind
{
    /// <summary><c>-d</c>: from <c>@file</c> or <c>@-</c>, carriage returns and newlines are removed (curl's <c>-d @file</c>).</summary>
    Data,

    /// <summary><c>--data-binary</c>: the exact bytes.</summary>
    Binary,

    /// <summary><c>--json</c>: the exact bytes, sent as <c>application/json</c> with <c>Accept: application/json</c>.</summary>
    Json,
}

/// <summary>Reads a body given on the command line: text, <c>@file</c>, or <c>@-</c> for stdin.</summary>
internal static class RequestData
{
    public static async Task<byte[]> ReadAsync(string value, DataKind kind, CliConsole console, CancellationToken cancellationToken)
    {
        byte[] bytes;
        if (value == "@-")
        {
            var input = console.OpenInput();
            await using (input.ConfigureAwait(false))
            {
                using var buffer = new MemoryStream();
                await input.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
                bytes = buffer.ToArray();
            }
        }
        else if (value.StartsWith('@'))
        {
            bytes = await File.ReadAllBytesAsync(value[1..], cancellationToken).ConfigureAwait(false);
        }
        else
        {
            return Encoding.UTF8.GetBytes(value);
        }

        return kind == DataKind.Data ? StripLineBreaks(bytes) : bytes;
    }

    /// <summary>curl's <c>-d @file</c>: every CR and LF is dropped, so a file saved with a final newline sends none.</summary>
    public static byte[] StripLineBreaks(byte[] bytes)
        => bytes.AsSpan().IndexOfAny((byte)'\r', (byte)'\n') < 0 ? bytes : bytes.Where(static b => b is not (byte)'\r' and not (byte)'\n').ToArray();
}
