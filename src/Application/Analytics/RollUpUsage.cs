using Mediator;
using RenderOwl.Application.Common.Abstractions;

namespace RenderOwl.Application.Analytics;

/// <summary>
/// Recomputes <c>analytics.hourly</c> for the current hour and the one before it (so an hour is rolled up once more
/// after it closes, catching its last events). Idempotent: an upsert from the events, not an increment. Every minute.
/// </summary>
public sealed record RollUpUsageCommand : ICommand<int>;

public sealed class RollUpUsageHandler(IAnalyticsStore store, TimeProvider clock) : ICommandHandler<RollUpUsageCommand, int>
{
    public async ValueTask<int> Handle(RollUpUsageCommand command, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var hour = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero);
        return await store.RollUpHourAsync(hour.AddHours(-1), cancellationToken) + await store.RollUpHourAsync(hour, cancellationToken);
    }
}
