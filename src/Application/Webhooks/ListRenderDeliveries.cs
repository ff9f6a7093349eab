using Mediator;
using Microsoft.EntityFrameworkCore;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Errors;
using RenderOwl.Application.Common.Pagination;
using RenderOwl.Domain.Common;

namespace RenderOwl.Application.Webhooks;

/// <summary>Every delivery of a render's events (its <c>webhook_url</c> and the project's endpoints), newest first.</summary>
public sealed record ListRenderDeliveriesQuery(RenderId RenderId, PageRequest Page) : IQuery<Page<DeliveryResponse>>, IPagedQuery;

public sealed class ListRenderDeliveriesValidator : PagedQueryValidator<ListRenderDeliveriesQuery>;

public sealed class ListRenderDeliveriesHandler(IAppDbContext db, ICurrentUser current, IRenderOwnership renders, Paginator paginator)
    : IQueryHandler<ListRenderDeliveriesQuery, Page<DeliveryResponse>>
{
    public async ValueTask<Page<DeliveryResponse>> Handle(ListRenderDeliveriesQuery query, CancellationToken cancellationToken)
    {
        var owner = current.Id;
        if (!await renders.IsOwnedAsync(query.RenderId, owner, cancellationToken))
        {
            throw new NotFoundException("render");
        }
        var page = await paginator.PageAsync(db.WebhookDeliveries.AsNoTracking().Where(d => d.RenderId == query.RenderId && d.OwnerId == owner),
            query.Page, DeliveryResponse.Keyset, DeliveryResponse.Row, d => (d.CreatedAt, d.Id.Value), cancellationToken);
        return page.Map(DeliveryResponse.From);
    }
}
