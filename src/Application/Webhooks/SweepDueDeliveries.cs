using Mediator;
using Microsoft.EntityFrameworkCore;
using RenderOwl.Application.Common.Abstractions;

namespace RenderOwl.Application.Webhooks;

/// <summary>
/// The safety net (every minute): deliveries due for over <see cref="SweepDueDeliveriesHandler.Grace"/> whose attempt job never ran (a process
/// died after the commit and before the job was queued, or mid-attempt past its lease) are started again.
/// </summary>
public sealed record SweepDueDeliveriesCommand : ICommand<int>;

public sealed class SweepDueDeliveriesHandler(IAppDbContext db, IWebhookAttempts attempts, TimeProvider clock) : ICommandHandler<SweepDueDeliveriesCommand, int>
{
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(30);

    public async ValueTask<int> Handle(SweepDueDeliveriesCommand command, CancellationToken cancellationToken)
    {
        var before = clock.GetUtcNow() - Grace;
        var due = await db.WebhookDeliveries.AsNoTracking().Where(d => d.NextAttemptAt != null && d.NextAttemptAt < before)
            .OrderBy(d => d.NextAttemptAt).Take(500).Select(d => d.Id.Value).ToListAsync(cancellationToken);
        attempts.Now(due);
        return due.Count;
    }
}
