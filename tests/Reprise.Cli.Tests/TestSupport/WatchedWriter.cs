using System.Text;

namespace Reprise.Cli.Tests.TestSupport;

/// <summary>A stderr that a test can read while the command still writes to it, and wait on.</summary>
internal sealed class WatchedWriter : TextWriter
{
    private readonly StringBuilder _text = new();
    private readonly Lock _lock = new();

    public override Encoding Encoding => Encoding.UTF8;

    public string Text
    {
        get
        {
            lock (_lock)
            {
                return _text.ToString();
            }
        }
    }

    public override void Write(char value)
    {
        lock (_lock)
        {
            _text.Append(value);
        }
    }

    public override void Write(string? value)
    {
        lock (_lock)
        {
            _text.Append(value);
        }
    }

    public override void WriteLine(string? value)
    {
        lock (_lock)
        {
            _text.Append(value).Append('\n');
        }
    }

    public override string ToString() => Text;

    public Task WaitForAsync(Func<string, bool> condition, string what) => Poll.UntilAsync(() => condition(Text), what);
}
