using Mediator;
using Microsoft.EntityFrameworkCore;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Errors;
using RenderOwl.Application.Common.Pagination;
using RenderOwl.Domain.Common;

namespace RenderOwl.Application.Webhooks;

/// <summary>An endpoint's delivery log, newest first.</summary>
public sealed record ListWebhookDeliveriesQuery(WebhookId WebhookId, PageRequest Page) : IQuery<Page<DeliveryResponse>>, IPagedQuery;

public sealed class ListWebhookDeliveriesValidator : PagedQueryValidator<ListWebhookDeliveriesQuery>;

public sealed class ListWebhookDeliveriesHandler(IAppDbContext db, ICurrentUser current, Paginator paginator)
    : IQueryHandler<ListWebhookDeliveriesQuery, Page<DeliveryResponse>>
{
    public async ValueTask<Page<DeliveryResponse>> Handle(ListWebhookDeliveriesQuery query, CancellationToken cancellationToken)
    {
        var owner = current.Id;
        if (!await db.WebhookEndpoints.AnyAsync(e => e.Id == query.WebhookId && e.OwnerId == owner, cancellationToken))
        {
            throw new NotFoundException("webhook");
        }
        var page = await paginator.PageAsync(db.WebhookDeliveries.AsNoTracking().Where(d => d.EndpointId == query.WebhookId && d.OwnerId == owner),
            query.Page, DeliveryResponse.Keyset, DeliveryResponse.Row, d => (d.CreatedAt, d.Id.Value), cancellationToken);
        return page.Map(DeliveryResponse.From);
    }
}
