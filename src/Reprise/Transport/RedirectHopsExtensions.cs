using System.Runtime.CompilerServices;

namespace Reprise.Transport;

/// <summary>Reads the redirects a response came through.</summary>
public static class RedirectHopsExtensions
{
    private static readonly ConditionalWeakTable<HttpResponseMessage, IReadOnlyList<RedirectHop>> Hops = new();

    /// <summary>Gets the redirects <see cref="RepriseTransportHandler"/> followed to reach this response, in order.</summary>
    /// <param name="response">The response.</param>
    /// <returns>The hops; empty when the response answered the request's own URL.</returns>
    public static IReadOnlyList<RedirectHop> GetRedirectHops(this HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return Hops.TryGetValue(response, out var hops) ? hops : [];
    }

    internal static void SetRedirectHops(HttpResponseMessage response, IReadOnlyList<RedirectHop> hops) => Hops.AddOrUpdate(response, hops);
}
