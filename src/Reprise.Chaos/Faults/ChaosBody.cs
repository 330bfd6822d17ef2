using System.Text;

namespace Reprise.Chaos.Faults;

/// <summary>The deterministic body bytes: byte i is <c>Alphabet[i % 64]</c>, written from one shared buffer.</summary>
internal static class ChaosBody
{
    public const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";

    // A multiple of the alphabet's length, so that any offset maps to the same byte.
    private static readonly byte[] Buffer = Create(16 * 1024);

    /// <summary>The bytes from body offset <paramref name="offset"/>, at most <paramref name="count"/> of them.</summary>
    public static ReadOnlyMemory<byte> Slice(long offset, long count)
    {
        var start = (int)(offset % Buffer.Length);
        return Buffer.AsMemory(start, (int)Math.Min(count, Buffer.Length - start));
    }

    private static byte[] Create(int length)
    {
        var pattern = Encoding.ASCII.GetBytes(Alphabet);
        var buffer = new byte[length];
        for (var i = 0; i < buffer.Length; i++)
        {
            buffer[i] = pattern[i % pattern.Length];
        }

        return buffer;
    }
}
