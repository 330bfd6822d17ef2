using Reprise;
using Reprise.Retry;

var url = args.Length > 0 ? args[0] : "http://127.0.0.1:8080/items";

var handler = new RepriseHandler(new SocketsHttpHandler(), new RepriseOptions
{
    MaxAttempts = 4,                                  // the first try included
    RetryOn = StatusCodeSet.Parse("429,500-504"),     // every other status is final
    AttemptTimeout = TimeSpan.FromSeconds(10),
    Deadline = TimeSpan.FromSeconds(60),              // across all attempts and waits
});
using var client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };

try
{
    using var response = await client.GetAsync(url);
    var history = response.GetRetryHistory()!;
    Console.WriteLine($"{(int)response.StatusCode} after {history.Attempts.Count} attempt(s): {history}");
}
catch (RepriseRequestException ex)
{
    Console.WriteLine($"failed ({ex.StopReason}): {ex.History}");
}
