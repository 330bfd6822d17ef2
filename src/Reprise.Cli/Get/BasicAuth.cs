using System.Net.Http.Headers;
using System.Text;

namespace Reprise.Cli.Get;

/// <summary><c>-u user:password</c> as curl sends it: an <c>Authorization: Basic</c> header, the password never shown.</summary>
internal static class BasicAuth
{
    public static AuthenticationHeaderValue Create(string userAndPassword)
    {
        // curl: "user:password"; a value without a colon is a user with an empty password (curl would prompt).
        var colon = userAndPassword.IndexOf(':', StringComparison.Ordinal);
        var pair = colon < 0 ? userAndPassword + ":" : userAndPassword;
        return new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(pair)));
    }

    /// <summary>The user alone, for messages: the password is a secret.</summary>
    public static string User(string userAndPassword)
    {
        var colon = userAndPassword.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? userAndPassword : userAndPassword[..colon];
    }
}
