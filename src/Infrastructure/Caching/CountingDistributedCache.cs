using Microsoft.Extensions.Caching.Distributed;

namespace RenderOwl.Infrastructure.Caching;

/// <summary>The Redis level of one policy, counting its failures for the statistics (FusionCache handles them: circuit breaker, fail-safe).</summary>
internal sealed class CountingDistributedCache(IDistributedCache inner, string policy, CacheStatistics statistics) : IDistributedCache
{
    public byte[]? Get(string key) => Counted(() => inner.Get(key));

    public async Task<byte[]?> GetAsync(string key, CancellationToken token = default) => await CountedAsync(() => inner.GetAsync(key, token));

    public void Set(string key, byte[] value, DistributedCacheEntryOptions options) => Counted(() => { inner.Set(key, value, options); return 0; });

    public async Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default)
        => await CountedAsync(async () => { await inner.SetAsync(key, value, options, token); return 0; });

    public void Refresh(string key) => Counted(() => { inner.Refresh(key); return 0; });

    public async Task RefreshAsync(string key, CancellationToken token = default) => await CountedAsync(async () => { await inner.RefreshAsync(key, token); return 0; });

    public void Remove(string key) => Counted(() => { inner.Remove(key); return 0; });

    public async Task RemoveAsync(string key, CancellationToken token = default) => await CountedAsync(async () => { await inner.RemoveAsync(key, token); return 0; });

    private T Counted<T>(Func<T> call)
    {
        try
        {
            return call();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            statistics.RecordL2Error(policy);
            throw;
        }
    }

    private async Task<T> CountedAsync<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            statistics.RecordL2Error(policy);
            throw;
        }
    }
}
