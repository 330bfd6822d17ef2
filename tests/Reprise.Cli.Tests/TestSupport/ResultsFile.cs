using System.Text.Json;

namespace Reprise.Cli.Tests.TestSupport;

/// <summary>Reads a results file (or stdout) of <c>reprise fetch</c> back, line by line.</summary>
internal static class ResultsFile
{
    public static List<JsonElement> Parse(string text)
        => text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(static l => JsonDocument.Parse(l).RootElement.Clone()).ToList();

    public static List<JsonElement> Read(string path) => Parse(File.ReadAllText(path));

    public static int CountLines(string path)
    {
        if (!File.Exists(path))
        {
            return 0;
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Count(static c => c == '\n');
    }

    public static string Url(this JsonElement line) => line.GetProperty("url").GetString()!;

    public static bool Ok(this JsonElement line) => line.GetProperty("ok").GetBoolean();

    public static int Attempts(this JsonElement line) => line.GetProperty("attempts").GetInt32();

    public static int? Status(this JsonElement line)
        => line.GetProperty("status").ValueKind == JsonValueKind.Null ? null : line.GetProperty("status").GetInt32();
}
