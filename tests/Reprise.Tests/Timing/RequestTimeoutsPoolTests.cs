using Microsoft.Extensions.Time.Testing;
using Reprise.Timing;

namespace Reprise.Tests.Timing;

public class RequestTimeoutsPoolTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void Rent_AfterAReturn_ReusesTheInstance()
    {
        using var pool = new RequestTimeoutsPool(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(2), _time);
        var first = pool.Rent(CancellationToken.None, _time.GetTimestamp());
        pool.Return(first, tokenReleased: true);

        var second = pool.Rent(CancellationToken.None, _time.GetTimestamp());

        Assert.Same(first, second);
        pool.Return(second, tokenReleased: true);
    }

    [Fact]
    public void Rent_WhileAnotherIsOut_CreatesAnother()
    {
        using var pool = new RequestTimeoutsPool(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(2), _time);
        var first = pool.Rent(CancellationToken.None, _time.GetTimestamp());

        var second = pool.Rent(CancellationToken.None, _time.GetTimestamp());

        Assert.NotSame(first, second);
        Assert.NotEqual(first.Token, second.Token);
        pool.Return(first, tokenReleased: true);
        pool.Return(second, tokenReleased: true);
    }

    [Fact]
    public void Dispose_DisposesTheIdleInstances()
    {
        var pool = new RequestTimeoutsPool(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(2), _time);
        var timeouts = pool.Rent(CancellationToken.None, _time.GetTimestamp());
        pool.Return(timeouts, tokenReleased: true);

        pool.Dispose();

        Assert.Throws<ObjectDisposedException>(() => timeouts.Token);
    }

    [Fact]
    public void Return_AfterDispose_DisposesTheInstance()
    {
        var pool = new RequestTimeoutsPool(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(2), _time);
        var timeouts = pool.Rent(CancellationToken.None, _time.GetTimestamp());
        pool.Dispose();

        pool.Return(timeouts, tokenReleased: true);

        Assert.Throws<ObjectDisposedException>(() => timeouts.Token);
    }
}
