using Microsoft.AspNetCore.Http;
using Reprise.Chaos.Configuration;
using Reprise.Chaos.Faults;
using Reprise.Chaos.Stats;

namespace Reprise.Chaos.Hosting;

/// <summary>
/// One chaos host's request path: match the route -> count (early?) -> host and route gates may answer ->
/// the route decides the key's n-th call -> the answer is written.
/// </summary>
internal sealed class HostEngine : IDisposable
{
    private const int NotFound = 404;
    private readonly TimeProvider _time;
    private readonly CancellationToken _stopping;
    private readonly RouteEngine[] _routes;
    private readonly Gate[] _gates;
    private readonly CapacityGate? _capacity;

    public HostEngine(ChaosHostOptions options, TimeProvider time, CancellationToken stopping)
    {
        Name = options.Name;
        _time = time;
        _stopping = stopping;
        Counters = new HostCounters(options.Routes.Select(static r => r.Path), options.CountHeaders, time);
        _routes = [.. options.Routes.Select((r, i) => new RouteEngine(r, Counters.Route(i), Counters, time))
            .OrderByDescending(static r => r.PrefixLength)];
        var gates = new List<Gate>(2);
        if (options.Outage is { } outage)
        {
            gates.Add(new OutageGate(outage, time));
        }

        if (options.RateLimit is { } rateLimit)
        {
            gates.Add(new RateLimitGate(rateLimit));
        }

        _gates = [.. gates];
        _capacity = options.Capacity is { } capacity ? new CapacityGate(capacity) : null;
    }

    public string Name { get; }

    public HostCounters Counters { get; }

    public Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path;
        if (path.StartsWithSegments(ChaosControl.Prefix, StringComparison.OrdinalIgnoreCase))
        {
            return ChaosControl.HandleAsync(context, this);
        }

        Counters.RequestStarted();
        CountHeaders(context.Request.Headers);
        Task serving;
        try
        {
            serving = ServeAsync(context, path);
        }
        catch
        {
            Counters.RequestEnded();
            throw;
        }

        if (serving.IsCompletedSuccessfully)
        {
            Counters.RequestEnded();
            return Task.CompletedTask;
        }

        return AwaitAndEndAsync(serving);
    }

    /// <summary>Gets whether a route answers raw bytes, so the host's connections pass through <see cref="RawResponder"/>.</summary>
    public bool HasRawRoutes => _routes.Any(static r => r.Raw is not null);

    public void ResetStats() => Counters.Clear();

    /// <summary>The route that serves <paramref name="path"/> when it answers raw bytes; null otherwise.</summary>
    public RouteEngine? MatchRaw(PathString path) => Match(path) is { Raw: not null } route ? route : null;

    /// <summary>Counts a raw answer written by <see cref="RawResponder"/> as a request of its route.</summary>
    public void CountRaw(RouteEngine route, IHeaderDictionary? headers)
    {
        Counters.RequestStarted();
        if (headers is not null)
        {
            CountHeaders(headers);
        }

        route.Counters.Request();
        route.Counters.RawAnswer();
        Counters.RequestEnded();
    }

    public void ResetState()
    {
        foreach (var gate in _gates)
        {
            gate.ResetState();
        }

        _capacity?.Clock.Clear();
        foreach (var route in _routes)
        {
            route.ResetState();
        }
    }

    public void Dispose()
    {
        foreach (var gate in _gates.Concat(_routes.SelectMany(static r => r.Gates)))
        {
            (gate as IDisposable)?.Dispose();
        }
    }

    private void CountHeaders(IHeaderDictionary headers)
    {
        var names = Counters.CountedHeaders;
        for (var i = 0; i < names.Count; i++)
        {
            if (headers.ContainsKey(names[i]))
            {
                Counters.Header(i);
            }
        }
    }

    private async Task AwaitAndEndAsync(Task serving)
    {
        try
        {
            await serving.ConfigureAwait(false);
        }
        finally
        {
            Counters.RequestEnded();
        }
    }

    private Task ServeAsync(HttpContext context, PathString path)
    {
        var route = Match(path);
        if (route is null)
        {
            Counters.Status(NotFound);
            context.Response.StatusCode = NotFound;
            context.Response.ContentLength = 0;
            return Task.CompletedTask;
        }

        route.Counters.Request();
        var key = route.KeyOf(context.Request);
        var state = route.StateOf(key);
        var nowTicks = _time.GetUtcNow().UtcTicks;
        if (state.IsEarly(nowTicks))
        {
            route.Counters.Early();
            Counters.Early();
        }

        if (IsAnyRunning(_gates, nowTicks) || IsAnyRunning(route.Gates, nowTicks) || (_capacity?.Clock.IsRunning(nowTicks) ?? false))
        {
            route.Counters.GroupEarly();
            Counters.GroupEarly();
        }

        if (TryReject(context, route, state, _gates) || TryReject(context, route, state, route.Gates))
        {
            return Task.CompletedTask;
        }

        if (_capacity is { } capacity)
        {
            if (!capacity.TryPass(out var overloaded))
            {
                Reject(context, route, state, capacity, overloaded);
                return Task.CompletedTask;
            }

            return ServeInCapacityAsync(context, route, state, key, capacity);
        }

        return Answer(context, route, state, key);
    }

    private Task Answer(HttpContext context, RouteEngine route, KeyState state, string key)
    {
        var call = state.NextCall();
        var plan = route.Decide(key, call);
        return ResponseWriter.WriteAsync(context, route, state, call, plan, _time, _stopping);
    }

    /// <summary>Holds a place of the host's capacity for the service time and the route's whole answer.</summary>
    private async Task ServeInCapacityAsync(HttpContext context, RouteEngine route, KeyState state, string key, CapacityGate capacity)
    {
        try
        {
            if (capacity.ServiceTime > TimeSpan.Zero)
            {
                using var either = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping);
                try
                {
                    await Task.Delay(capacity.ServiceTime, _time, either.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    if (_stopping.IsCancellationRequested)
                    {
                        context.Abort();
                    }

                    return;
                }
            }

            await Answer(context, route, state, key).ConfigureAwait(false);
        }
        finally
        {
            capacity.Release();
        }
    }

    private bool TryReject(HttpContext context, RouteEngine route, KeyState state, Gate[] gates)
    {
        foreach (var gate in gates)
        {
            if (!gate.TryPass(out var rejection))
            {
                Reject(context, route, state, gate, rejection);
                return true;
            }
        }

        return false;
    }

    private void Reject(HttpContext context, RouteEngine route, KeyState state, Gate gate, Rejection rejection)
    {
        var due = ResponseWriter.WriteRejection(context.Response, rejection, _time);
        if (due != 0)
        {
            gate.Clock.Given(due);
            state.RetryAfterGiven(due);
        }

        route.CountStatus(rejection.Status);
    }

    private static bool IsAnyRunning(Gate[] gates, long nowTicks)
    {
        foreach (var gate in gates)
        {
            if (gate.Clock.IsRunning(nowTicks))
            {
                return true;
            }
        }

        return false;
    }

    private RouteEngine? Match(PathString path)
    {
        foreach (var route in _routes)
        {
            if (route.Matches(path))
            {
                return route;
            }
        }

        return null;
    }
}
