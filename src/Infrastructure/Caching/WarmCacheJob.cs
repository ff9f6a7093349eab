using Hangfire;
using Mediator;
using RenderOwl.Application.Operations;

namespace RenderOwl.Infrastructure.Caching;

/// <summary>Every five minutes, and after a clear: when the cache has been emptied (cleared, or Redis lost it), the most-read keys of the last hour are loaded again.</summary>
public sealed class WarmCacheJob(ISender sender, Microsoft.Extensions.Options.IOptions<CacheOptions> options)
{
    [AutomaticRetry(Attempts = 0)]
    [Queue("low")]
    public async Task<int> RunAsync(CancellationToken cancellationToken) => await sender.Send(new WarmCacheCommand(options.Value.WarmUpKeys), cancellationToken);
}
