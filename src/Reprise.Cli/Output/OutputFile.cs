namespace Reprise.Cli.Output;

/// <summary>Opens a file given on the command line for writing; a file that cannot be opened is the user's to fix.</summary>
internal static class OutputFile
{
    /// <summary>Creates (or replaces) the file.</summary>
    /// <exception cref="OutputFileException">It cannot be written: a missing directory, no permission, a directory.</exception>
    public static FileStream Open(string path, string option = "--output")
    {
        try
        {
            return new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1, useAsync: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new OutputFileException($"{option}: cannot write '{path}': {ex.Message}", ex);
        }
    }
}

/// <summary>A file named on the command line cannot be written: a usage error (exit code 2), not a failed request.</summary>
internal sealed class OutputFileException(string message, Exception inner) : Exception(message, inner);
