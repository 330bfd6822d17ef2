namespace Reprise.Requests;

/// <summary>Makes the fresh request message each attempt sends, so no attempt reuses a sent message.</summary>
internal static class RequestCloner
{
    public static HttpRequestMessage Clone(HttpRequestMessage original, HttpContent? content)
    {
        var clone = new HttpRequestMessage(original.Method, original.RequestUri)
        {
            Version = original.Version,
            VersionPolicy = original.VersionPolicy,
            Content = content,
        };

        foreach (var header in original.Headers.NonValidated)
        {
            clone.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        // Touching Options creates them: copy only when the caller set some.
        var originalOptions = (IDictionary<string, object?>)original.Options;
        if (originalOptions.Count > 0)
        {
            var options = (IDictionary<string, object?>)clone.Options;
            foreach (var option in originalOptions)
            {
                options[option.Key] = option.Value;
            }
        }

        return clone;
    }
}
