using Reprise.Bulk;

namespace Reprise.Cli.Fetch;

/// <summary>Turns an input line into the engine's request: the command line's headers, then the line's own.</summary>
internal static class FetchRequests
{
    public static BulkRequest Create(FetchInputLine line, IReadOnlyList<KeyValuePair<string, string>> headers) => new(line.Url)
    {
        Id = line.Id,
        Headers = Merge(headers, line.Headers),
        Body = line.Body,
        ContentType = line.ContentType,

        // As curl does: POST when a body comes without a method.
        Method = line.Method is { } method ? new HttpMethod(method) : line.Body is null ? HttpMethod.Get : HttpMethod.Post,
    };

    /// <summary>A line's header replaces a command-line header of the same name; the shared list is never copied otherwise.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>>? Merge(
        IReadOnlyList<KeyValuePair<string, string>> shared, IReadOnlyList<KeyValuePair<string, string>>? own)
    {
        if (own is null || own.Count == 0)
        {
            return shared.Count == 0 ? null : shared;
        }

        var merged = new List<KeyValuePair<string, string>>(shared.Count + own.Count);
        foreach (var header in shared)
        {
            if (!RequestDefaults.Has(own, header.Key))
            {
                merged.Add(header);
            }
        }

        merged.AddRange(own);
        return merged;
    }
}
