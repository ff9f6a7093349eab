using Mediator;
using RenderOwl.Application.Common.Abstractions;

namespace RenderOwl.Application.Operations;

/// <summary>Admin: zero this instance's cache figures (the Prometheus counters keep counting).</summary>
public sealed record ResetCacheStatsCommand : ICommand<Unit>;

public sealed class ResetCacheStatsHandler(ICacheOperations cache) : ICommandHandler<ResetCacheStatsCommand, Unit>
{
    public ValueTask<Unit> Handle(ResetCacheStatsCommand command, CancellationToken cancellationToken)
    {
        cache.ResetStats();
        return ValueTask.FromResult(Unit.Value);
    }
}
