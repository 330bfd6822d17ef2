using System.Net.Http.Headers;

namespace Reprise.Responses;

/// <summary>
/// Refuses a response whose <c>Content-Length</c> is not one non-negative number: negative, not a number, or given
/// twice with different values. RFC 9112 section 6.3 makes that an unrecoverable error; the runtime would read such
/// a body to the end of the connection and call it a success.
/// </summary>
internal static class ContentLengthCheck
{
    /// <exception cref="HttpRequestException">The <c>Content-Length</c> is invalid (<see cref="HttpRequestError.InvalidResponse"/>).</exception>
    public static void ThrowIfInvalid(HttpResponseMessage response)
    {
        if (!response.Content.Headers.NonValidated.TryGetValues("Content-Length", out var values))
        {
            return;
        }

        string? first = null;
        foreach (var value in values)
        {
            // "42, 42" is one value repeated, which RFC 9110 section 8.6 lets a recipient accept.
            foreach (var part in value.Split(',', StringSplitOptions.TrimEntries))
            {
                if (part.Length == 0 || part.AsSpan().ContainsAnyExcept("0123456789") || (first is not null && part != first))
                {
                    throw new HttpRequestException(
                        HttpRequestError.InvalidResponse,
                        $"The response's Content-Length is invalid ({Describe(values)}): it must be one number of 0 or more.");
                }

                first = part;
            }
        }
    }

    // The server's text, kept short and without control characters: it ends up in messages.
    private static string Describe(HeaderStringValues values)
    {
        var text = string.Join(" | ", values);
        text = new string([.. text.Take(40).Select(static c => char.IsControl(c) ? '?' : c)]);
        return text;
    }
}
