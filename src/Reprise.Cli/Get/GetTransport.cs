using System.Net;

namespace Reprise.Cli.Get;

/// <summary>The handler that sends <c>get</c>'s attempts: decompression, no cookies, and curl's <c>-k</c> and <c>--connect-timeout</c>.</summary>
internal static class GetTransport
{
    public static SocketsHttpHandler Create(GetSettings settings)
    {
        var handler = new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.All, UseCookies = false };
        if (settings.ConnectTimeout is { } connect && connect != Timeout.InfiniteTimeSpan)
        {
            handler.ConnectTimeout = connect;
        }

        if (settings.Insecure)
        {
            // -k: the user asked for it by name; nothing else turns certificate checks off.
            handler.SslOptions.RemoteCertificateValidationCallback = static (_, _, _, _) => true;
        }

        return handler;
    }
}
