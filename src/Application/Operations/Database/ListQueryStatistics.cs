using Mediator;
using RenderOwl.Application.Common;
using RenderOwl.Application.Common.Abstractions;

namespace RenderOwl.Application.Operations.Database;

/// <summary>Admin: every normalised statement this instance ran, most total time first (<c>GET /internal/db/queries</c>).</summary>
public sealed record ListQueryStatisticsQuery : IQuery<ItemList<StatementStats>>;

public sealed class ListQueryStatisticsHandler(IQueryProfiler profiler) : IQueryHandler<ListQueryStatisticsQuery, ItemList<StatementStats>>
{
    public ValueTask<ItemList<StatementStats>> Handle(ListQueryStatisticsQuery query, CancellationToken cancellationToken)
        => ValueTask.FromResult(new ItemList<StatementStats>(profiler.Statements()));
}
