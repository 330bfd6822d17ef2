using System.Globalization;
using Reprise.ScaleOut;

// Main only parses and invokes. "--garnet PORT" is the Redis-protocol server's own process (started by the bench).
if (args is ["--garnet", var port])
{
    GarnetProcess.Serve(int.Parse(port, CultureInfo.InvariantCulture));
    return 0;
}

int runs = args is ["--runs", var n, ..] ? int.Parse(n, CultureInfo.InvariantCulture) : 3;
bool outageOnly = args.Contains("--outage-only");
using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};

return await new ScaleOutBench(runs, Console.Out, outageOnly).RunAsync(cancellation.Token);
