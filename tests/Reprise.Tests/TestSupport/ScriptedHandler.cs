using System.Net;

namespace Reprise.Tests.TestSupport;

/// <summary>
/// An inner handler that answers each attempt from a script and records what was sent. For the handler's own
/// logic only: behaviour that crosses a socket is tested against the chaos server.
/// </summary>
internal sealed class ScriptedHandler : HttpMessageHandler
{
    private readonly Func<int, HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> _respond;

    public ScriptedHandler(Func<int, HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> respond)
    {
        _respond = respond;
    }

    public List<SentRequest> Sent { get; } = [];

    public List<TrackedContent> Contents { get; } = [];

    public static ScriptedHandler Statuses(params HttpStatusCode[] statuses)
        => new((attempt, _, _) => Task.FromResult(new HttpResponseMessage(statuses[Math.Min(attempt, statuses.Length) - 1])));

    public static ScriptedHandler Always(HttpStatusCode status) => Statuses(status);

    public static ScriptedHandler Throws(Func<Exception> error)
        => new((_, _, _) => Task.FromException<HttpResponseMessage>(error()));

    /// <summary>An attempt that never answers until it is cancelled.</summary>
    public static Task<HttpResponseMessage> Hang(CancellationToken cancellationToken)
    {
        var pending = new TaskCompletionSource<HttpResponseMessage>();
        cancellationToken.Register(() => pending.TrySetCanceled(cancellationToken));
        return pending.Task;
    }

    /// <summary>A response whose content counts its disposal.</summary>
    public HttpResponseMessage Tracked(HttpStatusCode status)
    {
        var content = new TrackedContent();
        Contents.Add(content);
        return new HttpResponseMessage(status) { Content = content };
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        Sent.Add(new SentRequest(request, body, request.Content?.Headers.ContentType?.ToString()));
        // No captured context: a fake clock's Advance must run the handler on to its next wait before it returns.
        var response = await _respond(Sent.Count, request, cancellationToken).ConfigureAwait(false);
        response.RequestMessage ??= request;
        return response;
    }

    internal sealed record SentRequest(HttpRequestMessage Message, byte[]? Body, string? ContentType);

    internal sealed class TrackedContent : ByteArrayContent
    {
        public TrackedContent()
            : base("body"u8.ToArray())
        {
        }

        public bool Disposed { get; private set; }

        protected override void Dispose(bool disposing)
        {
            Disposed = true;
            base.Dispose(disposing);
        }
    }
}
