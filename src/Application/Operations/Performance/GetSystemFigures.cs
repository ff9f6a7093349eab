using Mediator;
using RenderOwl.Application.Common.Abstractions;

namespace RenderOwl.Application.Operations.Performance;

/// <summary>Admin: the process's uptime, request rate, CPU, memory, GC and thread pool (<c>GET /internal/performance/system</c>).</summary>
public sealed record GetSystemFiguresQuery : IQuery<SystemFigures>;

public sealed class GetSystemFiguresHandler(IPerformanceMonitor monitor) : IQueryHandler<GetSystemFiguresQuery, SystemFigures>
{
    public ValueTask<SystemFigures> Handle(GetSystemFiguresQuery query, CancellationToken cancellationToken) => ValueTask.FromResult(monitor.System());
}
