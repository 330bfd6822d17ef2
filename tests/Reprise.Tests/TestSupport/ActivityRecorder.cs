using System.Diagnostics;

namespace Reprise.Tests.TestSupport;

/// <summary>Records every activity of the <c>Reprise</c> source that stops while it listens.</summary>
internal sealed class ActivityRecorder : IDisposable
{
    private readonly List<Activity> _stopped = [];
    private readonly ActivityListener _listener;

    public ActivityRecorder()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Reprise",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                lock (_stopped)
                {
                    _stopped.Add(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>Gets the stopped activities of one host (<c>server.address</c>), in the order they started.</summary>
    public List<Activity> StoppedFor(string host)
    {
        lock (_stopped)
        {
            return _stopped.Where(a => Equals(a.GetTagItem("server.address"), host)).OrderBy(a => a.StartTimeUtc).ToList();
        }
    }

    public void Dispose() => _listener.Dispose();
}
