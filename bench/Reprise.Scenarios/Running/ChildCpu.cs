using System.Globalization;

namespace Reprise.Scenarios.Running;

/// <summary>
/// The processor time of this process's children that have ended and been waited for (Linux: fields 16 and 17 of
/// /proc/self/stat, in clock ticks of 10 ms). Read before and after one child runs, the difference is that
/// child's whole processor time, user and system, start-up included.
/// </summary>
internal static class ChildCpu
{
    private const double TicksPerSecond = 100;

    /// <summary>Gets the children's processor time so far in seconds, or null where /proc is not there.</summary>
    public static double? Read()
    {
        try
        {
            var stat = File.ReadAllText("/proc/self/stat");

            // The command name (field 2) may hold spaces; the fields after its closing parenthesis do not.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');

            // fields[0] is field 3 (state): cutime is field 16, cstime field 17.
            var user = long.Parse(fields[13], CultureInfo.InvariantCulture);
            var system = long.Parse(fields[14], CultureInfo.InvariantCulture);
            return (user + system) / TicksPerSecond;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException)
        {
            return null;
        }
    }
}
