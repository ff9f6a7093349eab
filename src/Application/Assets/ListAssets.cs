using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Pagination;
using RenderOwl.Domain.Common;

namespace RenderOwl.Application.Assets;

public sealed record ListAssetsQuery(ProjectId ProjectId, PageRequest Page) : IQuery<Page<AssetResponse>>, IPagedQuery;

public sealed class ListAssetsValidator : PagedQueryValidator<ListAssetsQuery>;

public sealed class ListAssetsHandler(IReadDbContext db, ICurrentUser current, IProjectAccess projects, Paginator paginator) : IQueryHandler<ListAssetsQuery, Page<AssetResponse>>
{
    public async ValueTask<Page<AssetResponse>> Handle(ListAssetsQuery query, CancellationToken cancellationToken)
    {
        var owner = current.Id;
        await projects.EnsureOwnedAsync(query.ProjectId, owner, cancellationToken);
        return await paginator.PageAsync(db.Assets.AsNoTracking().Where(a => a.ProjectId == query.ProjectId && a.OwnerId == owner),
            query.Page, AssetResponse.Keyset, AssetResponse.Projection, a => (a.CreatedAt, a.Id.Value), cancellationToken);
    }
}
