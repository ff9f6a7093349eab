using Mediator;
using RenderOwl.Application.Common.Abstractions;

namespace RenderOwl.Application.Operations.Database;

/// <summary>Admin: the profiler's health and N+1 suspects, and PostgreSQL's own figures (<c>GET /internal/db/stats</c>).</summary>
public sealed record GetDatabaseStatsQuery : IQuery<DatabaseStats>;

public sealed class GetDatabaseStatsHandler(IQueryProfiler profiler, IDatabaseIntrospection database) : IQueryHandler<GetDatabaseStatsQuery, DatabaseStats>
{
    public async ValueTask<DatabaseStats> Handle(GetDatabaseStatsQuery query, CancellationToken cancellationToken)
    {
        var (health, slowPercentage, calls) = profiler.Health();
        var server = await database.ServerStatsAsync(cancellationToken);
        return new DatabaseStats(health, slowPercentage, calls, profiler.NPlusOneSuspects(), server.Tables, server.CacheHitRatio, server.PgStatStatements);
    }
}
