using Reprise.Scenarios.Running;

// Main only parses and invokes; ScenarioRunner (the parent) and ChildRunner (one client) do the work.
using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};

if (!Arguments.TryParse(args, out var arguments, out var error))
{
    await Console.Error.WriteLineAsync(error);
    await Console.Error.WriteLineAsync(Arguments.Usage);
    return (int)ExitCode.UsageError;
}

if (arguments.Help)
{
    await Console.Out.WriteLineAsync(Arguments.Usage);
    return (int)ExitCode.Success;
}

try
{
    var exit = arguments.Child
        ? await ChildRunner.RunAsync(arguments.ChildScenario!, arguments.ChildClient!, arguments.ChildBaseAddress!, arguments.Quick, Console.Out, cancellation.Token)
        : await new ScenarioRunner(arguments, Console.Out, Console.Error).RunAsync(cancellation.Token);
    return (int)exit;
}
catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
{
    await Console.Error.WriteLineAsync("Cancelled.");
    return (int)ExitCode.Cancelled;
}
