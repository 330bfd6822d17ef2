using System.Text;

namespace Reprise.Cli.Tests.TestSupport;

/// <summary>A memory stream that lets a test await the moment its text holds some line.</summary>
internal sealed class WatchedStream : MemoryStream
{
    private readonly Lock _lock = new();
    private readonly List<(Func<string, bool> Condition, TaskCompletionSource<string> Done)> _waiters = [];

    public string Text
    {
        get
        {
            lock (_lock)
            {
                return Encoding.UTF8.GetString(GetBuffer(), 0, (int)Length);
            }
        }
    }

    public Task<string> WaitForAsync(Func<string, bool> condition)
    {
        lock (_lock)
        {
            var text = Encoding.UTF8.GetString(GetBuffer(), 0, (int)Length);
            if (condition(text))
            {
                return Task.FromResult(text);
            }

            var done = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((condition, done));
            return done.Task.WaitAsync(TimeSpan.FromSeconds(20));
        }
    }

    public override void Write(ReadOnlySpan<byte> buffer) => Write(buffer.ToArray(), 0, buffer.Length);

    public override void Write(byte[] buffer, int offset, int count)
    {
        lock (_lock)
        {
            base.Write(buffer, offset, count);
            var text = Encoding.UTF8.GetString(GetBuffer(), 0, (int)Length);
            _waiters.RemoveAll(w => w.Condition(text) && w.Done.TrySetResult(text));
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        Write(buffer.AsSpan(offset, count));
        return Task.CompletedTask;
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }
}
