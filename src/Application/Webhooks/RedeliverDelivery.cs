using Mediator;
using Microsoft.EntityFrameworkCore;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Errors;
using RenderOwl.Domain.Common;

namespace RenderOwl.Application.Webhooks;

/// <summary>One more attempt now, whatever happened before: same event id, a new signature (202).</summary>
public sealed record RedeliverDeliveryCommand(DeliveryId Id) : ITransactionalCommand<Unit>;

public sealed class RedeliverDeliveryHandler(IAppDbContext db, ICurrentUser current, IWebhookAttempts attempts, AfterCommit afterCommit, TimeProvider clock)
    : ICommandHandler<RedeliverDeliveryCommand, Unit>
{
    public async ValueTask<Unit> Handle(RedeliverDeliveryCommand command, CancellationToken cancellationToken)
    {
        var owner = current.Id;
        var delivery = await db.WebhookDeliveries.FirstOrDefaultAsync(d => d.Id == command.Id && d.OwnerId == owner, cancellationToken)
            ?? throw new NotFoundException("delivery");
        delivery.Redeliver(clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        await afterCommit.RunAsync("redeliver webhook", _ => { attempts.Now([delivery.Id.Value]); return Task.CompletedTask; }, cancellationToken);
        return Unit.Value;
    }
}
