namespace Reprise.Cli.Tests.TestSupport;

/// <summary>Bounded polling: waits for something that happens asynchronously, never for a fixed time.</summary>
internal static class Poll
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(20);

    public static async Task UntilAsync(Func<bool> condition, string what)
    {
        using var timeout = new CancellationTokenSource(Limit);
        while (!condition())
        {
            if (timeout.IsCancellationRequested)
            {
                Assert.Fail($"Timed out waiting until {what}.");
            }

            await Task.Delay(5);
        }
    }
}
