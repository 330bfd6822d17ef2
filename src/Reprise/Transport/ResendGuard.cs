using System.Runtime.CompilerServices;

namespace Reprise.Transport;

/// <summary>
/// Bounds the connection pool's own re-sends. When a connection closes before any byte of an answer,
/// <see cref="SocketsHttpHandler"/> sends the request again by itself, up to three more times, on other connections:
/// meant for an idle connection the server had just closed, it made every attempt against a server that closes each
/// connection reach it four times (16 requests for 4 attempts). Here a message may open one new connection; the
/// pool's re-send of a request that already had a fresh connection fails instead, as a transport error the retry
/// policy counts as an attempt. So at most two sends of an attempt reach a server: one on a reused connection the
/// server had closed, one on a new connection.
/// </summary>
internal static class ResendGuard
{
    public const int NewConnectionsPerMessage = 1;

    private static readonly ConditionalWeakTable<HttpRequestMessage, StrongBox<int>> Opened = new();

    /// <summary>Counts the connections each message opens, through the handler's plaintext stream filter.</summary>
    public static void Install(SocketsHttpHandler handler)
    {
        var previous = handler.PlaintextStreamFilter;
        handler.PlaintextStreamFilter = (context, cancellationToken) =>
        {
            Count(context.InitialRequestMessage);
            return previous is null ? ValueTask.FromResult(context.PlaintextStream) : previous(context, cancellationToken);
        };
    }

    private static void Count(HttpRequestMessage message)
    {
        var opened = Opened.GetOrCreateValue(message);
        if (Interlocked.Increment(ref opened.Value) > NewConnectionsPerMessage)
        {
            throw new HttpRequestException(
                HttpRequestError.ConnectionError,
                "The server closed the connection before any answer, and the request had a new connection already: not sent again by the connection pool.");
        }
    }
}
