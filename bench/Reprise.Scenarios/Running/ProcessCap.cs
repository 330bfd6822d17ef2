using System.Diagnostics;

namespace Reprise.Scenarios.Running;

/// <summary>Waits for a child process up to a cap, and kills it (with whatever it started) when the cap passes.</summary>
internal static class ProcessCap
{
    /// <summary>Waits for <paramref name="process"/> to exit, at most <paramref name="cap"/>.</summary>
    /// <returns><see langword="true"/> if the cap passed and the child was killed; the caller's cancellation throws.</returns>
    public static async Task<bool> WaitOrKillAsync(Process process, TimeSpan cap, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(cap);
        try
        {
            await process.WaitForExitAsync(limit.Token);
            return false;
        }
        catch (OperationCanceledException)
        {
            // Our own child, by its handle; whatever it started goes with it.
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            cancellationToken.ThrowIfCancellationRequested();
            return true;
        }
    }
}
