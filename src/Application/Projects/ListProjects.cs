using Mediator;
using Microsoft.EntityFrameworkCore;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Pagination;

namespace RenderOwl.Application.Projects;

public sealed record ListProjectsQuery(PageRequest Page) : IQuery<Page<ProjectResponse>>, IPagedQuery;

public sealed class ListProjectsValidator : PagedQueryValidator<ListProjectsQuery>;

public sealed class ListProjectsHandler(IReadDbContext db, ICurrentUser current, Paginator paginator)
    : IQueryHandler<ListProjectsQuery, Page<ProjectResponse>>
{
    public async ValueTask<Page<ProjectResponse>> Handle(ListProjectsQuery query, CancellationToken cancellationToken)
    {
        var owner = current.Id;
        return await paginator.PageAsync(
            db.Projects.AsNoTracking().Where(p => p.OwnerId == owner),
            query.Page,
            ProjectResponse.Keyset,
            ProjectResponse.Projection,
            p => (p.CreatedAt, p.Id.Value),
            countKey: $"projects:{owner}",
            cancellationToken);
    }
}
