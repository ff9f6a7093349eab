using Mediator;
using Microsoft.EntityFrameworkCore;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Pagination;
using RenderOwl.Domain.Common;
using RenderOwl.Domain.Rendering;

namespace RenderOwl.Application.Rendering;

public sealed record ListRendersQuery(ProjectId ProjectId, PageRequest Page, RenderStatus? Status, string? Tag, DateTimeOffset? CreatedAfter, DateTimeOffset? CreatedBefore)
    : IQuery<Page<RenderResponse>>, IPagedQuery;

public sealed class ListRendersValidator : PagedQueryValidator<ListRendersQuery>;

public sealed class ListRendersHandler(IReadDbContext db, ICurrentUser current, IProjectAccess projects, Paginator paginator)
    : IQueryHandler<ListRendersQuery, Page<RenderResponse>>
{
    public async ValueTask<Page<RenderResponse>> Handle(ListRendersQuery query, CancellationToken cancellationToken)
    {
        var owner = current.Id;
        await projects.EnsureOwnedAsync(query.ProjectId, owner, cancellationToken);
        var source = db.Renders.AsNoTracking().Where(r => r.ProjectId == query.ProjectId && r.OwnerId == owner && r.ParentId == null); // segments are not shown
        if (query.Status is { } status)
        {
            source = source.Where(r => r.Status == status);
        }
        if (query.Tag is { Length: > 0 } tag)
        {
            source = source.Where(r => r.Tags.Contains(tag));
        }
        if (query.CreatedAfter is { } after)
        {
            source = source.Where(r => r.CreatedAt > after);
        }
        if (query.CreatedBefore is { } before)
        {
            source = source.Where(r => r.CreatedAt < before);
        }
        var page = await paginator.PageAsync(source, query.Page, RenderResponse.Keyset, RenderResponse.Row, r => (r.CreatedAt, r.Id.Value), cancellationToken);
        return page.Map(RenderResponse.From);
    }
}
