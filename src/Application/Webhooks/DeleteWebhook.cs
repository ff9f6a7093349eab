using Mediator;
using Microsoft.EntityFrameworkCore;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Errors;
using RenderOwl.Domain.Common;

namespace RenderOwl.Application.Webhooks;

/// <summary>Deletes the endpoint; its delivery log stays (deliveries still pending to it are not sent).</summary>
public sealed record DeleteWebhookCommand(WebhookId Id) : ITransactionalCommand<Unit>;

public sealed class DeleteWebhookHandler(IAppDbContext db, ICurrentUser current) : ICommandHandler<DeleteWebhookCommand, Unit>
{
    public async ValueTask<Unit> Handle(DeleteWebhookCommand command, CancellationToken cancellationToken)
    {
        var owner = current.Id;
        var deleted = await db.WebhookEndpoints.Where(e => e.Id == command.Id && e.OwnerId == owner).ExecuteDeleteAsync(cancellationToken);
        return deleted == 0 ? throw new NotFoundException("webhook") : Unit.Value;
    }
}
