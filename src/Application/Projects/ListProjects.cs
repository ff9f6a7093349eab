using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Caching;
using RenderOwl.Application.Common.Pagination;
using RenderOwl.Domain.Common;

namespace RenderOwl.Application.Projects;

public sealed record ListProjectsQuery(PageRequest Page) : IQuery<Page<ProjectResponse>>, IPagedQuery;

public sealed class ListProjectsValidator : PagedQueryValidator<ListProjectsQuery>;

/// <summary>
/// An account's projects, newest first. The first offset page — what a dashboard opens on, by far the most read — is
/// cached per page size (medium policy, loaded on the primary) and dropped at the commit of any change to the
/// account's projects (<see cref="CacheKeys.ProjectList"/>: a project added, changed or removed, or its render count
/// moved); deeper pages and cursors read the replica.
/// </summary>
public sealed class ListProjectsHandler(IReadDbContext db, ICurrentUser current, Paginator paginator, AppCache cache, IServiceScopeFactory scopes)
    : IQueryHandler<ListProjectsQuery, Page<ProjectResponse>>
{
    public async ValueTask<Page<ProjectResponse>> Handle(ListProjectsQuery query, CancellationToken cancellationToken)
    {
        var owner = current.Id;
        var key = CacheKeys.ProjectFirstPage(owner, query.Page.PageSize);
        if (query.Page is { Cursor: null, Page: null or 1 } && cache.Caches(key))
        {
            return (await cache.GetOrLoadAsync(CachePolicy.Medium, key, [key, CacheKeys.ProjectList(owner), CacheKeys.Owner(owner)],
                ct => PrimaryLoad.RunAsync(scopes, (primary, c) => PageAsync(primary.Projects, owner, query.Page, c), ct), cancellationToken))!;
        }
        return (await PageAsync(db.Projects, owner, query.Page, cancellationToken))!;
    }

    private async Task<Page<ProjectResponse>?> PageAsync(IQueryable<Domain.Projects.Project> projects, UserId owner, PageRequest page, CancellationToken cancellationToken)
        => await paginator.PageAsync(
            projects.AsNoTracking().Where(p => p.OwnerId == owner),
            page,
            ProjectResponse.Keyset,
            ProjectResponse.Projection,
            p => (p.CreatedAt, p.Id.Value),
            countKey: $"projects:{owner}",
            cancellationToken);
}
