using System.Security.Cryptography;
using Reprise.Bulk;

namespace Reprise.Cli.Fetch;

/// <summary>
/// Saves each body in one directory, under the SHA-256 of its URL (<see cref="BodyFileNames"/>). A body is written to
/// a temporary file of its own (<c>.&lt;name&gt;.&lt;random&gt;.part</c>) and renamed over its name only when complete: a
/// file with that name is always a whole body, a failed body leaves nothing, and writers of the same URL at once never
/// meet (the last rename wins).
/// </summary>
internal sealed class HashedBodySink : IBulkBodySink
{
    private const string PartSuffix = ".part";

    private readonly string _directory;

    public HashedBodySink(string directory)
    {
        _directory = Path.GetFullPath(directory);
    }

    public Stream? Open(BulkRequest request, HttpResponseMessage response, out string? path)
    {
        path = BodyFileNames.PathFor(_directory, request.Url);
        var temporary = Path.Join(_directory, $".{Path.GetFileName(path)}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}{PartSuffix}");
        return new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 64 * 1024, useAsync: true);
    }

    public async ValueTask CompleteAsync(Stream stream, bool complete)
    {
        var temporary = ((FileStream)stream).Name;
        try
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            if (complete)
            {
                // A rename within one directory replaces the old file atomically: readers see the old body or the new one.
                File.Move(temporary, FinalPathOf(temporary), overwrite: true);
                return;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            TryDelete(temporary);
            if (complete)
            {
                throw;
            }

            // The body failed already; its first error is the one reported.
            return;
        }

        TryDelete(temporary);
    }

    /// <summary><c>dir/.name.random.part</c> becomes <c>dir/name</c>.</summary>
    internal static string FinalPathOf(string temporary)
    {
        var name = Path.GetFileName(temporary.AsSpan());
        var end = name[1..].IndexOf('.');
        return Path.Join(Path.GetDirectoryName(temporary.AsSpan()), name.Slice(1, end));
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Left behind with a name no body has: it can be deleted by hand.
        }
    }
}
