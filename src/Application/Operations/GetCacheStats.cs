using Mediator;
using RenderOwl.Application.Common.Abstractions;

namespace RenderOwl.Application.Operations;

/// <summary>Admin: this instance's cache figures (<c>GET /internal/cache/stats</c>).</summary>
public sealed record GetCacheStatsQuery : IQuery<CacheStats>;

public sealed class GetCacheStatsHandler(ICacheOperations cache) : IQueryHandler<GetCacheStatsQuery, CacheStats>
{
    public ValueTask<CacheStats> Handle(GetCacheStatsQuery query, CancellationToken cancellationToken) => ValueTask.FromResult(cache.Stats());
}
