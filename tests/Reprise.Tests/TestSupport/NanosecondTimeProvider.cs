using Microsoft.Extensions.Time.Testing;

namespace Reprise.Tests.TestSupport;

/// <summary>
/// A fake clock whose timestamps count nanoseconds, as the system's do on Linux: its timers and wall clock are a
/// <see cref="FakeTimeProvider"/>'s, and <see cref="Nanoseconds"/> adds a share of a <see cref="TimeSpan"/> tick to its
/// timestamps, so that conversions that round one way or the other show it.
/// </summary>
internal sealed class NanosecondTimeProvider : FakeTimeProvider
{
    public NanosecondTimeProvider()
        : base(new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero))
    {
    }

    /// <summary>Gets or sets nanoseconds added to every timestamp, beyond the fake clock's own.</summary>
    public long Nanoseconds { get; set; }

    public override long TimestampFrequency => 1_000_000_000;

    public override long GetTimestamp() => (base.GetTimestamp() * 100) + Nanoseconds;
}
