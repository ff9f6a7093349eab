using Mediator;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Caching;

namespace RenderOwl.Application.Operations;

/// <summary>
/// Loads the most-read keys of the last hour into the cache when it has been emptied — a clear, or a Redis that
/// lost its data (a deploy, a restart) — which a marker entry tells: present, the cache is warm and nothing is
/// done; <see cref="Force"/> warms regardless. Returns how many keys were loaded.
/// </summary>
public sealed record WarmCacheCommand(int Keys = 500, bool Force = false) : ICommand<int>;

public sealed class WarmCacheHandler(ICacheReadLog reads, AppCache cache, IEnumerable<ICacheWarmer> warmers) : ICommandHandler<WarmCacheCommand, int>
{
    public const string Marker = "warmup:done";

    public async ValueTask<int> Handle(WarmCacheCommand command, CancellationToken cancellationToken)
    {
        if (!command.Force && await cache.PeekAsync<string>(CachePolicy.Long, Marker, cancellationToken) is not null)
        {
            return 0;
        }
        var byKind = warmers.ToDictionary(w => w.Kind, StringComparer.Ordinal);
        var loaded = 0;
        foreach (var key in await reads.MostReadAsync(command.Keys, cancellationToken))
        {
            if (CacheKeys.TryParse(key, out var kind, out var id) && byKind.TryGetValue(kind, out var warmer)
                && await warmer.WarmAsync(id, cancellationToken))
            {
                loaded++;
            }
        }
        await cache.SetAsync(CachePolicy.Long, Marker, "1", [], cancellationToken);
        return loaded;
    }
}
