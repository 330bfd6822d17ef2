using System.Runtime.InteropServices;
using Reprise.Cli;
using Reprise.Cli.Commands;
using Reprise.Cli.Console;

// Main only parses and invokes. Ctrl-C (and SIGTERM) become a cancellation token: the command stops, and the
// results it finished are already written. A second Ctrl-C ends the process at once; a second SIGTERM does not:
// GNU timeout sends SIGTERM twice (to the child, then to its process group), and a service manager that wants the
// process gone sooner escalates to SIGKILL itself.
using var interrupt = new CancellationTokenSource();
void OnSignal(PosixSignalContext context)
{
    if (interrupt.IsCancellationRequested && context.Signal == PosixSignal.SIGINT)
    {
        Environment.Exit((int)ExitCode.Interrupted);
    }

    context.Cancel = true;
    interrupt.Cancel();
}

// PosixSignalRegistration rather than Console.CancelKeyPress: an in-process chaos server (serve, demo) registers
// its own handlers through the generic host, and every registration is called, so ours always runs.
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);

return await CliApp.InvokeAsync(args, CliConsole.CreateSystem(), interrupt.Token).ConfigureAwait(false);
