using System.Globalization;
using System.IO.Compression;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Reprise.Chaos.Configuration;

namespace Reprise.Chaos.Faults;

/// <summary>Carries out a route's plan on the wire: latency, then a hang, a reset, or a (cut-short, trickled) answer.</summary>
internal static class ResponseWriter
{
    /// <summary>The response header that tells which call of its key a request was (1 for the first).</summary>
    public const string CallHeader = "X-Chaos-Call";

    public static async Task WriteAsync(
        HttpContext context, RouteEngine route, KeyState key, long call, ResponsePlan plan, TimeProvider time, CancellationToken stopping)
    {
        if (plan.Latency > TimeSpan.Zero && !await WaitAsync(context, plan.Latency, time, stopping).ConfigureAwait(false))
        {
            return;
        }

        switch (plan.Fault)
        {
            case FaultKind.Hang:
                route.Counters.Hang();
                await WaitAsync(context, Timeout.InfiniteTimeSpan, time, stopping).ConfigureAwait(false);
                return;
            case FaultKind.Reset:
                route.Counters.Reset();
                Reset(context);
                return;
            case FaultKind.Close:
                route.Counters.Close();
                Close(context);
                return;
        }

        if (route.Raw is not null)
        {
            // A raw answer is written by the connection's first request (RawResponder); on a reused connection there
            // is no way to write it through Kestrel, so the connection closes and the client opens a fresh one.
            route.Counters.Close();
            Close(context);
            return;
        }

        var response = context.Response;
        var status = route.ExpectedAuthorization is { } expected
            && !string.Equals(context.Request.Headers.Authorization, expected, StringComparison.Ordinal)
            ? StatusCodes.Status401Unauthorized
            : plan.Status;
        plan = plan with { Status = status };
        response.StatusCode = plan.Status;
        response.Headers[CallHeader] = call.ToString(CultureInfo.InvariantCulture);
        if (status == StatusCodes.Status401Unauthorized && route.ExpectedAuthorization is not null)
        {
            response.Headers.WWWAuthenticate = "Basic realm=\"chaos\"";
        }

        if (route.Location is { } location)
        {
            response.Headers.Location = location.Replace("{n}", call.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        }
        if (route.WantsRetryAfter(plan.Status, out var seconds, out var format))
        {
            key.RetryAfterGiven(RetryAfterHeader.Write(response, seconds, format, time.GetUtcNow()));
        }

        route.CountStatus(plan.Status);
        if (plan.Fault == FaultKind.CutShort)
        {
            route.Counters.CutShort();
            await CutShortAsync(context, route, time, stopping).ConfigureAwait(false);
            return;
        }

        var size = AllowsBody(plan.Status) ? route.BodySize : 0;
        if (route.Gzip && size > 0)
        {
            await WriteGzipAsync(context, size, route.TrickleBytesPerSecond, time, stopping).ConfigureAwait(false);
            return;
        }

        response.ContentLength = size;
        if (size > 0)
        {
            response.ContentType = "application/octet-stream";
            await WriteBodyAsync(context, context.Response.Body, size, route.TrickleBytesPerSecond, time, stopping).ConfigureAwait(false);
        }
    }

    private static async Task WriteGzipAsync(HttpContext context, long size, int bytesPerSecond, TimeProvider time, CancellationToken stopping)
    {
        var response = context.Response;
        response.ContentType = "application/octet-stream";
        response.Headers.ContentEncoding = "gzip";
        var gzip = new GZipStream(response.Body, CompressionLevel.Fastest, leaveOpen: true);
        await using (gzip.ConfigureAwait(false))
        {
            if (!await WriteBodyAsync(context, gzip, size, bytesPerSecond, time, stopping).ConfigureAwait(false))
            {
                context.Abort();
            }
        }
    }

    /// <summary>Answers a gate's rejection (outage or rate limit) and returns when its Retry-After ends, or 0 without one.</summary>
    public static long WriteRejection(HttpResponse response, Rejection rejection, TimeProvider time)
    {
        response.StatusCode = rejection.Status;
        response.ContentLength = 0;
        return rejection.RetryAfterSeconds is { } seconds
            ? RetryAfterHeader.Write(response, seconds, rejection.Format, time.GetUtcNow())
            : 0;
    }

    private static async Task CutShortAsync(HttpContext context, RouteEngine route, TimeProvider time, CancellationToken stopping)
    {
        var declared = route.BodySize > 0 ? route.BodySize : ChaosDefaults.CutShortMinimumLength;
        context.Response.ContentLength = declared;
        await WriteBodyAsync(context, context.Response.Body, declared / 2, route.TrickleBytesPerSecond, time, stopping).ConfigureAwait(false);

        // Returning with fewer bytes than the Content-Length makes Kestrel send what was written, then close the
        // connection: the client sees the headers and part of the body. Aborting instead could drop unsent bytes.
    }

    /// <summary>Writes <paramref name="length"/> body bytes, trickled if asked; false if the client went away.</summary>
    private static async Task<bool> WriteBodyAsync(
        HttpContext context, Stream body, long length, int bytesPerSecond, TimeProvider time, CancellationToken stopping)
    {
        var chunk = bytesPerSecond > 0 ? Math.Max(1, bytesPerSecond / ChaosDefaults.TrickleChunksPerSecond) : length;
        var pause = bytesPerSecond > 0 ? TimeSpan.FromSeconds((double)chunk / bytesPerSecond) : TimeSpan.Zero;
        try
        {
            for (long written = 0; written < length;)
            {
                var end = Math.Min(length, written + chunk);
                while (written < end)
                {
                    var slice = ChaosBody.Slice(written, end - written);
                    await body.WriteAsync(slice, context.RequestAborted).ConfigureAwait(false);
                    written += slice.Length;
                }

                if (pause > TimeSpan.Zero && written < length)
                {
                    await body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
                    if (!await WaitAsync(context, pause, time, stopping).ConfigureAwait(false))
                    {
                        return false;
                    }
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            return false;
        }

        return true;
    }

    /// <summary>Waits, unless the client disconnects (false) or the server stops (false, connection aborted).</summary>
    private static async Task<bool> WaitAsync(HttpContext context, TimeSpan delay, TimeProvider time, CancellationToken stopping)
    {
        using var either = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        try
        {
            await Task.Delay(delay, time, either.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            if (stopping.IsCancellationRequested)
            {
                context.Abort();
            }

            return false;
        }
    }

    private static void Reset(HttpContext context)
    {
        // A zero linger makes closing the socket send RST instead of FIN: a reset, not a polite close.
        if (context.Features.Get<IConnectionSocketFeature>()?.Socket is { } socket)
        {
            try
            {
                socket.LingerState = new LingerOption(true, 0);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                // The client is gone already; aborting is all that is left to do.
            }
        }

        context.Abort();
    }

    private static void Close(HttpContext context)
    {
        // Aborting alone resets the connection; a shutdown first sends FIN, so the client reads a clean end of stream
        // before any byte of an answer: what a server that closes an idle connection as a request arrives looks like.
        if (context.Features.Get<IConnectionSocketFeature>()?.Socket is { } socket)
        {
            try
            {
                socket.Shutdown(SocketShutdown.Send);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                // The client is gone already.
            }
        }

        context.Abort();
    }

    private static bool AllowsBody(int status) => status is >= 200 and not 204 and not 304;
}
