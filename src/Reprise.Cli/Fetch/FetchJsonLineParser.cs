using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Reprise.Cli.Fetch;

/// <summary>
/// Reads a JSON input line: <c>{"url": ..., "method": ..., "headers": {...}, "body": "text", "body_base64": "...",
/// "content_type": ..., "id": ...}</c>. Only <c>url</c> is required. A field the parser does not know, a value of the
/// wrong type, or a body given twice makes the line invalid, with an error that names the field: a typo in an
/// ingestion job should not send a request without its body.
/// </summary>
internal static class FetchJsonLineParser
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 4 };

    public static FetchInputLine Parse(long number, string text)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text, DocumentOptions);
        }
        catch (JsonException ex)
        {
            return Invalid(number, null, $"is not valid JSON: {ex.Message}");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return Invalid(number, null, "is not a JSON object.");
            }

            return Read(number, document.RootElement);
        }
    }

    private static FetchInputLine Read(long number, JsonElement root)
    {
        string? url = null, id = null, method = null, body = null, bodyBase64 = null, contentType = null;
        List<KeyValuePair<string, string>>? headers = null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in root.EnumerateObject())
        {
            if (!seen.Add(property.Name))
            {
                return Invalid(number, url, $"gives \"{property.Name}\" twice.");
            }

            var value = property.Value;
            string? error = property.Name switch
            {
                "url" => String(value, "url", ref url),
                "id" => Id(value, ref id),
                "method" => String(value, "method", ref method),
                "body" => String(value, "body", ref body),
                "body_base64" => String(value, "body_base64", ref bodyBase64),
                "content_type" => String(value, "content_type", ref contentType),
                "headers" => Headers(value, out headers),
                _ => $"has an unknown field \"{Shorten(property.Name)}\" (known: url, id, method, headers, body, body_base64, content_type).",
            };
            if (error is not null)
            {
                return Invalid(number, url, error) with { Id = id };
            }
        }

        ReadOnlyMemory<byte>? bytes = null;
        var problem = url is null ? "has no \"url\"." : Check(method, body, bodyBase64, contentType, out bytes);
        if (problem is not null)
        {
            return Invalid(number, url, problem) with { Id = id };
        }

        if (FetchInputReader.CheckUrl(number, url!) is { } urlError)
        {
            return FetchInputReader.Invalid(number, FetchInputReader.UrlKey(url!), urlError) with { Id = id };
        }

        return new FetchInputLine(number, url!, id)
        {
            Method = method?.ToUpperInvariant(),
            Headers = headers,
            Body = bytes,
            ContentType = contentType,
        };
    }

    private static string? Check(string? method, string? body, string? bodyBase64, string? contentType, out ReadOnlyMemory<byte>? bytes)
    {
        bytes = null;
        if (method is not null && (method.Length == 0 || !method.All(char.IsAsciiLetter)))
        {
            return $"has \"method\": \"{Shorten(method)}\", which is not an HTTP method.";
        }

        if (body is not null && bodyBase64 is not null)
        {
            return "gives both \"body\" and \"body_base64\"; give one.";
        }

        if (bodyBase64 is not null)
        {
            try
            {
                bytes = Convert.FromBase64String(bodyBase64);
            }
            catch (FormatException)
            {
                return "has a \"body_base64\" that is not base64.";
            }
        }
        else if (body is not null)
        {
            bytes = Encoding.UTF8.GetBytes(body);
        }

        return contentType is not null && bytes is null ? "gives \"content_type\" without a body." : null;
    }

    private static string? String(JsonElement value, string name, ref string? target)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            return $"has a \"{name}\" that is not a string.";
        }

        target = value.GetString();
        return null;
    }

    private static string? Id(JsonElement value, ref string? target)
    {
        // Ids are often numbers in the systems they come from: keep their text.
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                target = value.GetString();
                return null;
            case JsonValueKind.Number:
                target = value.GetRawText();
                return null;
            default:
                return "has an \"id\" that is neither a string nor a number.";
        }
    }

    private static string? Headers(JsonElement value, out List<KeyValuePair<string, string>>? headers)
    {
        headers = null;
        if (value.ValueKind != JsonValueKind.Object)
        {
            return "has \"headers\" that are not an object of names and values.";
        }

        headers = [];
        foreach (var header in value.EnumerateObject())
        {
            if (header.Value.ValueKind != JsonValueKind.String)
            {
                return $"has a header \"{Shorten(header.Name)}\" whose value is not a string.";
            }

            var text = $"{header.Name}: {header.Value.GetString()}";
            if (!Parsing.HeaderParser.TryParse(text, out var parsed, out var error))
            {
                return $"has a bad header: {error}";
            }

            headers.Add(parsed);
        }

        return null;
    }

    private static FetchInputLine Invalid(long number, string? url, string error)
        => FetchInputReader.Invalid(
            number,
            url is null ? string.Create(CultureInfo.InvariantCulture, $"(line {number})") : FetchInputReader.UrlKey(url),
            string.Create(CultureInfo.InvariantCulture, $"line {number} {error}"));

    private static string Shorten(string text) => text.Length <= 100 ? text : $"{text[..100]}...";
}
