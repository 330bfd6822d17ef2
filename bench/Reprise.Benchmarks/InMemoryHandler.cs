using System.Net;

namespace Reprise.Benchmarks;

/// <summary>
/// The innermost handler of every benchmark: no socket, a new bodiless response per call (the same cost for every
/// client, so the "no handler" row shows it). A request carrying a <see cref="FailureBudget"/> is answered 503
/// until the budget is spent; the budget travels in the request's options, which Reprise copies to each attempt
/// and the Polly-based handlers re-send as is.
/// </summary>
internal sealed class InMemoryHandler : HttpMessageHandler
{
    public static readonly HttpRequestOptionsKey<FailureBudget> FailuresKey = new("Reprise.Benchmarks.Failures");

    private readonly bool _yield;

    /// <param name="yield">Whether to complete asynchronously, so concurrent callers really run on several threads.</param>
    public InMemoryHandler(bool yield = false)
    {
        _yield = yield;
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var status = request.Options.TryGetValue(FailuresKey, out var budget) && budget.TryTake()
            ? HttpStatusCode.ServiceUnavailable
            : HttpStatusCode.OK;
        return _yield ? AnswerLaterAsync(request, status) : Task.FromResult(new HttpResponseMessage(status) { RequestMessage = request });
    }

    private static async Task<HttpResponseMessage> AnswerLaterAsync(HttpRequestMessage request, HttpStatusCode status)
    {
        await Task.Yield();
        return new HttpResponseMessage(status) { RequestMessage = request };
    }

    /// <summary>How many of a request's attempts are still to fail.</summary>
    internal sealed class FailureBudget(int failures)
    {
        private int _left = failures;

        public bool TryTake() => Interlocked.Decrement(ref _left) >= 0;
    }
}
