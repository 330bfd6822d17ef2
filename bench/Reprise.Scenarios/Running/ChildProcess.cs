using System.Diagnostics;
using System.Text.Json;
using Reprise.Scenarios.Reporting;

namespace Reprise.Scenarios.Running;

/// <summary>Starts this program again as a child that runs one client, and reads back its report.</summary>
internal static class ChildProcess
{
    public static async Task<(ClientReport? Report, string? Failure)> RunAsync(
        string scenario, string client, Uri baseAddress, bool quick, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var start = CreateStartInfo();
        foreach (var arg in new[] { "--child", "--scenario", scenario, "--client", client, "--base", baseAddress.AbsoluteUri })
        {
            start.ArgumentList.Add(arg);
        }

        if (quick)
        {
            start.ArgumentList.Add("--quick");
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {start.FileName}.");
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        if (await ProcessCap.WaitOrKillAsync(process, timeout, cancellationToken))
        {
            return (null, $"killed after {timeout.TotalSeconds:0} s");
        }

        var output = await stdout;
        var errors = (await stderr).Trim();
        if (process.ExitCode != 0)
        {
            return (null, $"exit code {process.ExitCode}: {FirstLine(errors)}");
        }

        var line = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
        try
        {
            var report = line is null ? null : JsonSerializer.Deserialize<ClientReport>(line, ResultsJson.Options);
            return report is null ? (null, "no report") : (report, null);
        }
        catch (JsonException ex)
        {
            return (null, $"unreadable report: {ex.Message}");
        }
    }

    private static ProcessStartInfo CreateStartInfo()
    {
        var host = Environment.ProcessPath ?? throw new InvalidOperationException("The path of this process is unknown.");
        var start = new ProcessStartInfo(host)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };

        // Started as "dotnet Reprise.Scenarios.dll": the child needs the assembly too. As an apphost it does not.
        if (Path.GetFileNameWithoutExtension(host).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            start.ArgumentList.Add(typeof(ChildProcess).Assembly.Location);
        }

        return start;
    }

    private static string FirstLine(string text)
    {
        var end = text.IndexOf('\n', StringComparison.Ordinal);
        return end < 0 ? text : text[..end].TrimEnd();
    }
}
