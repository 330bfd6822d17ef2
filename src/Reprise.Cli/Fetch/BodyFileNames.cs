using System.Security.Cryptography;
using System.Text;

namespace Reprise.Cli.Fetch;

/// <summary>
/// Names the file of a saved body: the SHA-256 of the URL, in lowercase hex. Nothing of the URL's path reaches the
/// file system, so <c>../</c>, absolute paths, device names or very long paths in a URL can never leave the
/// <c>--bodies</c> directory or collide with each other.
/// </summary>
internal static class BodyFileNames
{
    public static string For(string url) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(url)));

    public static string PathFor(string directory, string url) => Path.Join(directory, For(url));
}
