using Mediator;
using RenderOwl.Application.Common;
using RenderOwl.Application.Common.Abstractions;

namespace RenderOwl.Application.Operations.Database;

/// <summary>Admin: the latest 100 executions over the slow threshold, newest first (<c>GET /internal/db/slow-queries</c>).</summary>
public sealed record ListSlowQueriesQuery : IQuery<ItemList<SlowQuery>>;

public sealed class ListSlowQueriesHandler(IQueryProfiler profiler) : IQueryHandler<ListSlowQueriesQuery, ItemList<SlowQuery>>
{
    public ValueTask<ItemList<SlowQuery>> Handle(ListSlowQueriesQuery query, CancellationToken cancellationToken)
        => ValueTask.FromResult(new ItemList<SlowQuery>(profiler.SlowQueries()));
}
