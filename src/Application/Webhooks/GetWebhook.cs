using Mediator;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Domain.Common;

namespace RenderOwl.Application.Webhooks;

public sealed record GetWebhookQuery(WebhookId Id) : IQuery<WebhookResponse>;

public sealed class GetWebhookHandler(IAppDbContext db, ICurrentUser current) : IQueryHandler<GetWebhookQuery, WebhookResponse>
{
    public async ValueTask<WebhookResponse> Handle(GetWebhookQuery query, CancellationToken cancellationToken)
        => WebhookResponse.From(await db.FindOwnedAsync(query.Id, current.Id, cancellationToken));
}
