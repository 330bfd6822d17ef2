namespace Reprise.Chaos.Tests;

/// <summary>Bounded polling: waits for something the server does asynchronously, never for a fixed time.</summary>
internal static class Poll
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);

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

    public static async Task<T> UntilAsync<T>(Func<Task<T>> attempt, Func<T, bool> condition, string what)
    {
        using var timeout = new CancellationTokenSource(Limit);
        while (true)
        {
            var value = await attempt();
            if (condition(value))
            {
                return value;
            }

            if (timeout.IsCancellationRequested)
            {
                Assert.Fail($"Timed out waiting until {what}.");
            }

            await Task.Delay(5);
        }
    }
}
