using Mediator;
using Microsoft.EntityFrameworkCore;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Pagination;

namespace RenderOwl.Application.Identity.ApiKeys;

public sealed record ListApiKeysQuery(PageRequest Page) : IQuery<Page<ApiKeyResponse>>, IPagedQuery;

public sealed class ListApiKeysValidator : PagedQueryValidator<ListApiKeysQuery>;

public sealed class ListApiKeysHandler(IAppDbContext db, ICurrentUser current, Paginator paginator)
    : IQueryHandler<ListApiKeysQuery, Page<ApiKeyResponse>>
{
    public async ValueTask<Page<ApiKeyResponse>> Handle(ListApiKeysQuery query, CancellationToken cancellationToken)
    {
        var owner = current.Id;
        return await paginator.PageAsync(
            db.ApiKeys.AsNoTracking().Where(k => k.UserId == owner && k.RevokedAt == null),
            query.Page, ApiKeyResponse.Keyset, ApiKeyResponse.Projection, k => (k.CreatedAt, k.Id.Value), cancellationToken);
    }
}
