using Mediator;
using RenderOwl.Application.Common.Abstractions;

namespace RenderOwl.Application.Operations.Database;

/// <summary>Admin: each connection pool's size and use, by data source (<c>GET /internal/db/pool</c>).</summary>
public sealed record GetPoolStatsQuery : IQuery<IReadOnlyDictionary<string, PoolStats>>;

public sealed class GetPoolStatsHandler(IDatabaseIntrospection database) : IQueryHandler<GetPoolStatsQuery, IReadOnlyDictionary<string, PoolStats>>
{
    public ValueTask<IReadOnlyDictionary<string, PoolStats>> Handle(GetPoolStatsQuery query, CancellationToken cancellationToken)
        => ValueTask.FromResult(database.Pools());
}
