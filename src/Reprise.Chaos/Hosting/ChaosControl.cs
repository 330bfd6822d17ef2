using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Reprise.Chaos.Configuration;

namespace Reprise.Chaos.Hosting;

/// <summary>The control endpoints every chaos host serves: <c>GET /_chaos/stats</c> and <c>POST /_chaos/reset</c>.</summary>
internal static class ChaosControl
{
    public const string Prefix = "/_chaos";

    public static async Task HandleAsync(HttpContext context, HostEngine host)
    {
        var request = context.Request;
        var response = context.Response;
        var action = request.Path.Value.AsSpan(Prefix.Length).Trim('/');
        if (action.Equals("stats", StringComparison.OrdinalIgnoreCase) && HttpMethods.IsGet(request.Method))
        {
            response.ContentType = "application/json; charset=utf-8";
            await JsonSerializer.SerializeAsync(response.Body, host.Counters.Snapshot(), ChaosJsonContext.Default.ChaosStats, context.RequestAborted)
                .ConfigureAwait(false);
            return;
        }

        if (action.Equals("reset", StringComparison.OrdinalIgnoreCase) && HttpMethods.IsPost(request.Method))
        {
            // "?state=true" also forgets the behaviour state: key calls, outage windows, buckets, Retry-Afters.
            if (string.Equals(request.Query["state"], "true", StringComparison.OrdinalIgnoreCase))
            {
                host.ResetState();
            }

            host.ResetStats();
            response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }

        response.StatusCode = action is "stats" or "reset" ? StatusCodes.Status405MethodNotAllowed : StatusCodes.Status404NotFound;
    }
}
