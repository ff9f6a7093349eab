using Mediator;
using RenderOwl.Application.Common.Abstractions;

namespace RenderOwl.Application.Operations.Database;

/// <summary>Admin: forget this instance's statement figures, slow executions and N+1 suspects (<c>POST /internal/db/queries/reset</c>).</summary>
public sealed record ResetQueryStatisticsCommand : ICommand;

public sealed class ResetQueryStatisticsHandler(IQueryProfiler profiler) : ICommandHandler<ResetQueryStatisticsCommand>
{
    public ValueTask<Unit> Handle(ResetQueryStatisticsCommand command, CancellationToken cancellationToken)
    {
        profiler.Reset();
        return Unit.ValueTask;
    }
}
