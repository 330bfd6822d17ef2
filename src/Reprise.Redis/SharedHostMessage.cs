using System.Globalization;

namespace Reprise.Redis;

/// <summary>
/// The messages on the change channel, "kind end interval host": <c>p</c> a pause until end (Unix ms), <c>o</c> an
/// open circuit until end with its interval, <c>c</c> a closed circuit. The host comes last, so it may hold anything.
/// </summary>
internal static class SharedHostMessage
{
    public static string Pause(string host, long until) => string.Create(CultureInfo.InvariantCulture, $"p {until} 0 {host}");

    public static string Open(string host, long until, long interval) => string.Create(CultureInfo.InvariantCulture, $"o {until} {interval} {host}");

    public static string Close(string host) => "c 0 0 " + host;

    public static bool TryParse(string message, out char kind, out long until, out long interval, out string host)
    {
        kind = default;
        until = interval = 0;
        host = string.Empty;
        var parts = message.Split(' ', 4);
        if (parts.Length != 4 || parts[0].Length != 1
            || !long.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out until)
            || !long.TryParse(parts[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out interval))
        {
            return false;
        }

        kind = parts[0][0];
        host = parts[3];
        return true;
    }

    /// <summary>Applies a message to a view (its lock held).</summary>
    public static void Apply(SharedHostView view, char kind, long until, long interval)
    {
        switch (kind)
        {
            case 'p':
                ApplyPause(view, until);
                break;
            case 'o':
                view.CircuitOpenUntil = until;
                view.CircuitIntervalMs = interval;
                break;
            case 'c':
                view.CircuitOpenUntil = 0;
                view.CircuitIntervalMs = 0;
                view.HoldsProbe = false;
                view.ProbeSentAt = 0;
                break;
        }
    }

    /// <summary>The later pause wins.</summary>
    public static void ApplyPause(SharedHostView view, long until)
    {
        if (until > view.PausedUntil)
        {
            view.PausedUntil = until;
        }
    }

    /// <summary>Applies the circuit key's value as read ("until interval", or empty: closed).</summary>
    public static void ApplyCircuit(SharedHostView view, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            if (!view.HoldsProbe)
            {
                view.CircuitOpenUntil = 0;
            }

            return;
        }

        var parts = value.Split(' ');
        view.CircuitOpenUntil = FirstNumber(value);
        view.CircuitIntervalMs = parts.Length > 1 && long.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out long interval) ? interval : 0;
    }

    /// <summary>The first number of a key's value; 0 when none.</summary>
    public static long FirstNumber(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return 0;
        }

        int space = value.IndexOf(' ', StringComparison.Ordinal);
        var first = space < 0 ? value : value[..space];
        return long.TryParse(first, NumberStyles.Integer, CultureInfo.InvariantCulture, out long number) ? number : 0;
    }
}
