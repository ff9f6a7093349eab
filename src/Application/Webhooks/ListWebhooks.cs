using Mediator;
using Microsoft.EntityFrameworkCore;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Pagination;
using RenderOwl.Domain.Common;

namespace RenderOwl.Application.Webhooks;

public sealed record ListWebhooksQuery(ProjectId ProjectId, PageRequest Page) : IQuery<Page<WebhookResponse>>, IPagedQuery;

public sealed class ListWebhooksValidator : PagedQueryValidator<ListWebhooksQuery>;

public sealed class ListWebhooksHandler(IAppDbContext db, ICurrentUser current, IProjectAccess projects, Paginator paginator)
    : IQueryHandler<ListWebhooksQuery, Page<WebhookResponse>>
{
    public async ValueTask<Page<WebhookResponse>> Handle(ListWebhooksQuery query, CancellationToken cancellationToken)
    {
        var owner = current.Id;
        await projects.EnsureOwnedAsync(query.ProjectId, owner, cancellationToken);
        return await paginator.PageAsync(db.WebhookEndpoints.AsNoTracking().Where(e => e.ProjectId == query.ProjectId && e.OwnerId == owner),
            query.Page, WebhookResponse.Keyset, WebhookResponse.Projection, e => (e.CreatedAt, e.Id.Value), cancellationToken);
    }
}
