namespace Reprise.Cli.Tests.TestSupport;

/// <summary>A directory of its own for one test, deleted with it.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = Directory.CreateTempSubdirectory("reprise-cli-tests-").FullName;
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Join(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A child process may still hold a file; the system cleans its temp directory.
        }
    }
}
