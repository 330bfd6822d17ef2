using Microsoft.Extensions.Time.Testing;

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

    /// <summary>
    /// Moves fake time on by <paramref name="step"/> until <paramref name="task"/> ends: a request counted in service may
    /// not have started its service-time delay yet, and a single move made before it did would never end it.
    /// </summary>
    public static async Task<T> AdvanceUntilAsync<T>(FakeTimeProvider time, TimeSpan step, Task<T> task)
    {
        using var timeout = new CancellationTokenSource(Limit);
        while (!task.IsCompleted)
        {
            if (timeout.IsCancellationRequested)
            {
                Assert.Fail("Timed out moving fake time until the request ended.");
            }

            time.Advance(step);
            await Task.WhenAny(task, Task.Delay(5));
        }

        return await task;
    }
}
