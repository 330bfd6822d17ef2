using Microsoft.Extensions.Time.Testing;

namespace Reprise.Tests.TestSupport;

internal static class FakeTimeProviderExtensions
{
    /// <summary>
    /// Advances the fake clock with no synchronization context on the thread, so the continuations of the waits it
    /// completes run inline: when this returns, every waiter has run on to its next wait. (Under xunit's context the
    /// runtime refuses to inline them and queues them to the thread pool instead.)
    /// </summary>
    public static void AdvanceInline(this FakeTimeProvider time, TimeSpan delta)
    {
        var previous = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(null);
        try
        {
            time.Advance(delta);
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previous);
        }
    }
}
