using System.Net.Http.Headers;
using System.Text;

namespace Reprise.Transport;

/// <summary>
/// The user info of a URL (<c>http://user:password@host/</c>) as HTTP Basic authentication, as curl sends it: the
/// header goes to the URL's origin only, and the user info itself never reaches the wire.
/// </summary>
internal static class UserInfoCredentials
{
    /// <summary>Moves the user info of the request's URL into an <c>Authorization</c> header, unless one was given.</summary>
    public static void Apply(HttpRequestMessage request)
    {
        if (request.RequestUri is not { IsAbsoluteUri: true, UserInfo.Length: > 0 } uri)
        {
            return;
        }

        request.RequestUri = WithoutUserInfo(uri);
        if (request.Headers.Authorization is null)
        {
            request.Headers.Authorization = BasicOf(uri.UserInfo);
        }
    }

    /// <summary>The Basic credentials of an escaped user info: <c>user:password</c>, each part unescaped.</summary>
    public static AuthenticationHeaderValue BasicOf(string userInfo)
    {
        var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
        var user = Uri.UnescapeDataString(colon < 0 ? userInfo : userInfo[..colon]);
        var password = colon < 0 ? string.Empty : Uri.UnescapeDataString(userInfo[(colon + 1)..]);
        return new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
    }

    public static Uri WithoutUserInfo(Uri uri) => new UriBuilder(uri) { UserName = string.Empty, Password = string.Empty }.Uri;
}
