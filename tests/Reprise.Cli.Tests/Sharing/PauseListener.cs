using System.Collections.Concurrent;
using System.Globalization;
using StackExchange.Redis;

namespace Reprise.Cli.Tests.Sharing;

/// <summary>
/// Another "process" listening on the change channel during a run: it hears the pause the run shares, whenever the
/// run learns it (the pause key itself expires a few seconds after the pause ends, before a slow run is over).
/// </summary>
internal sealed class PauseListener : IDisposable
{
    private readonly ConnectionMultiplexer _connection;
    private readonly ConcurrentQueue<string> _messages = new();
    private readonly string _host;

    private PauseListener(ConnectionMultiplexer connection, int port)
    {
        _connection = connection;
        _host = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}");
    }

    public static async Task<PauseListener> StartAsync(string configuration, int port)
    {
        var listener = new PauseListener(await ConnectionMultiplexer.ConnectAsync(configuration), port);
        var channel = await listener._connection.GetSubscriber().SubscribeAsync(RedisChannel.Literal("reprise:events"));
        channel.OnMessage(message => listener._messages.Enqueue(message.Message.ToString()));
        return listener;
    }

    /// <summary>A pause of the run's host was published ("p end 0 host"); the subscription's delivery is waited for, bounded.</summary>
    public async Task AssertPauseSharedAsync(string stderr)
    {
        for (int i = 0; i < 100 && !Heard(); i++)
        {
            await Task.Delay(20);
        }

        Assert.True(Heard(), $"no pause of {_host} published; heard: {string.Join(" | ", _messages)}; stderr: {stderr}");
    }

    public void Dispose() => _connection.Dispose();

    private bool Heard() => _messages.Any(m => m.StartsWith("p ", StringComparison.Ordinal) && m.EndsWith(" " + _host, StringComparison.Ordinal));
}
