using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Reprise.Cli.Fetch;

/// <summary>
/// Writes the results file, one JSON object a line, each line handed to the operating system as soon as it is
/// written: a run killed at any moment (Ctrl-C or kill -9) leaves whole lines, and at worst one torn last line
/// that <see cref="ResumeLog"/> drops.
/// </summary>
internal sealed class ResultWriter : IAsyncDisposable
{
    // Results files are data, never HTML: keep URLs readable ('&' not '\u0026').
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly Stream _stream;
    private readonly bool _ownsStream;
    private readonly ArrayBufferWriter<byte> _buffer = new(512);
    private readonly Utf8JsonWriter _json;

    public ResultWriter(Stream stream, bool ownsStream)
    {
        _stream = stream;
        _ownsStream = ownsStream;
        _json = new Utf8JsonWriter(_buffer, WriterOptions);
    }

    public long LinesWritten { get; private set; }

    /// <summary>Opens the results file: appended to when resuming, replaced otherwise.</summary>
    public static ResultWriter OpenFile(string path, bool append)
    {
        // No buffer of our own: every line goes to the OS in one write, so a killed process loses nothing it finished.
        var file = new FileStream(path, append ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 0, useAsync: false);
        return new ResultWriter(file, ownsStream: true);
    }

    /// <summary>Writes one line and flushes it. Not cancellable on purpose: a line is written whole or not at all.</summary>
    public async ValueTask WriteAsync(FetchResultLine line)
    {
        _buffer.ResetWrittenCount();
        _json.Reset();
        JsonSerializer.Serialize(_json, line, FetchJsonContext.Default.FetchResultLine);
        _json.Flush();
        _buffer.Write("\n"u8);
        await _stream.WriteAsync(_buffer.WrittenMemory, CancellationToken.None).ConfigureAwait(false);
        await _stream.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        LinesWritten++;
    }

    public async ValueTask DisposeAsync()
    {
        await _json.DisposeAsync().ConfigureAwait(false);
        if (_ownsStream)
        {
            await _stream.DisposeAsync().ConfigureAwait(false);
        }
    }
}
