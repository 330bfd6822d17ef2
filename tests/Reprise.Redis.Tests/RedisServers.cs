namespace Reprise.Redis.Tests;

/// <summary>
/// The servers every shared-state test runs against: Garnet in-process always, and a redis-server from PATH when there
/// is one (the row is absent otherwise). Started once per test class, on free ports.
/// </summary>
public sealed class RedisServers : IDisposable
{
    private readonly Lazy<GarnetFixture> _garnet = new(() => new GarnetFixture());
    private readonly Lazy<RedisBinaryFixture> _binary = new(() => new RedisBinaryFixture());

    public static TheoryData<string> Kinds
    {
        get
        {
            var kinds = new TheoryData<string> { "garnet" };
            if (new RedisBinaryFixture() is { IsAvailable: true } probe)
            {
                probe.Dispose();
                kinds.Add("redis-server");
            }

            return kinds;
        }
    }

    public RedisServerFixture Get(string kind) => kind == "garnet" ? _garnet.Value : _binary.Value;

    public void Dispose()
    {
        if (_garnet.IsValueCreated)
        {
            _garnet.Value.Dispose();
        }

        if (_binary.IsValueCreated)
        {
            _binary.Value.Dispose();
        }
    }
}
