using System.Collections.Concurrent;
using System.Net;

namespace Reprise.Tests.Bulk;

/// <summary>
/// An in-memory handler for the engine's logic: answers each attempt from a per-URL script and records what was
/// sent, with the fake clock's time. Behaviour that crosses a socket is tested against the chaos server.
/// </summary>
internal sealed class BulkTestHandler : HttpMessageHandler
{
    private readonly Func<string, int, HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> _respond;
    private readonly ConcurrentDictionary<string, int> _attempts = new();
    private readonly TimeProvider _time;

    public BulkTestHandler(TimeProvider time, Func<string, int, HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> respond)
    {
        _time = time;
        _respond = respond;
    }

    public ConcurrentQueue<Sent> Log { get; } = new();

    /// <summary>Gets or sets whether sends are logged; off for runs of many requests, to keep the test's memory flat.</summary>
    public bool Logging { get; set; } = true;

    /// <summary>Answers each URL with its own statuses in turn (the last repeats); 200 for a URL not listed.</summary>
    public static BulkTestHandler Scripted(TimeProvider time, params (string Url, HttpStatusCode[] Statuses)[] scripts)
    {
        var byUrl = scripts.ToDictionary(s => s.Url, s => s.Statuses);
        return new BulkTestHandler(time, (url, attempt, _, _) =>
        {
            var status = byUrl.TryGetValue(url, out var statuses) ? statuses[Math.Min(attempt, statuses.Length) - 1] : HttpStatusCode.OK;
            return Task.FromResult(new HttpResponseMessage(status) { Content = new ByteArrayContent("body"u8.ToArray()) });
        });
    }

    public static Task<HttpResponseMessage> Hang(CancellationToken cancellationToken)
    {
        var pending = new TaskCompletionSource<HttpResponseMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        cancellationToken.Register(static state => ((TaskCompletionSource<HttpResponseMessage>)state!).TrySetCanceled(), pending);
        return pending.Task;
    }

    public int AttemptsOf(string url) => _attempts.TryGetValue(url, out var count) ? count : 0;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var url = request.RequestUri!.OriginalString;
        var attempt = _attempts.AddOrUpdate(url, 1, static (_, n) => n + 1);
        if (!Logging)
        {
            return await _respond(url, attempt, request, cancellationToken).ConfigureAwait(false);
        }

        var body = request.Content is null ? null : await request.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        Log.Enqueue(new Sent(url, attempt, _time.GetUtcNow(), request.Method, request.Headers.ToDictionary(h => h.Key, h => string.Join(",", h.Value)), body, request.Content?.Headers.ContentType?.ToString()));
        var response = await _respond(url, attempt, request, cancellationToken).ConfigureAwait(false);
        response.RequestMessage ??= request;
        return response;
    }

    internal sealed record Sent(string Url, int Attempt, DateTimeOffset At, HttpMethod Method, Dictionary<string, string> Headers, byte[]? Body, string? ContentType);
}
