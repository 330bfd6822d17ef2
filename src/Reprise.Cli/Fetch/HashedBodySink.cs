using Reprise.Bulk;

namespace Reprise.Cli.Fetch;

/// <summary>Saves each body in one directory, under the SHA-256 of its URL (<see cref="BodyFileNames"/>).</summary>
internal sealed class HashedBodySink : IBulkBodySink
{
    private readonly string _directory;

    public HashedBodySink(string directory)
    {
        _directory = Path.GetFullPath(directory);
    }

    public Stream? Open(BulkRequest request, HttpResponseMessage response, out string? path)
    {
        path = BodyFileNames.PathFor(_directory, request.Url);

        // Create, not append: a body retried after a cut starts its file afresh.
        return new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 64 * 1024, useAsync: true);
    }
}
