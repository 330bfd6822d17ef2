using System.Runtime.InteropServices;

namespace Reprise.Scenarios.Reporting;

/// <summary>The machine a run happened on, for the header of the results.</summary>
internal sealed class MachineInfo
{
    public string Os { get; init; } = RuntimeInformation.OSDescription;

    public string Cpu { get; init; } = ReadCpuModel();

    public int LogicalCores { get; init; } = Environment.ProcessorCount;

    public long MemoryBytes { get; init; } = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;

    public string Runtime { get; init; } = RuntimeInformation.FrameworkDescription;

    /// <summary>Gets the 1-minute load average (Linux), read when the run started; other work on the machine skews every time.</summary>
    public double? LoadAverageAtStart { get; init; } = ReadLoadAverage();

    public override string ToString()
        => $"{Cpu}, {LogicalCores} logical cores, {MemoryBytes / (1024.0 * 1024 * 1024):0.#} GiB, {Os}, {Runtime}";

    /// <summary>Reads the 1-minute load average from /proc/loadavg; null where there is none.</summary>
    public static double? ReadLoadAverage()
    {
        try
        {
            var text = File.ReadAllText("/proc/loadavg");
            return double.TryParse(text.Split(' ')[0], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var load) ? load : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string ReadCpuModel()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(static l => l.StartsWith("model name", StringComparison.Ordinal));
            return line?[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim() ?? RuntimeInformation.ProcessArchitecture.ToString();
        }
        catch (IOException)
        {
            return RuntimeInformation.ProcessArchitecture.ToString();
        }
        catch (UnauthorizedAccessException)
        {
            return RuntimeInformation.ProcessArchitecture.ToString();
        }
    }
}
