using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Pagination;

namespace RenderOwl.Application.Templates;

public sealed record ListTemplatesQuery(PageRequest Page) : IQuery<Page<TemplateResponse>>, IPagedQuery;

public sealed class ListTemplatesValidator : PagedQueryValidator<ListTemplatesQuery>;

public sealed class ListTemplatesHandler(IReadDbContext db, ICurrentUser current, Paginator paginator) : IQueryHandler<ListTemplatesQuery, Page<TemplateResponse>>
{
    public async ValueTask<Page<TemplateResponse>> Handle(ListTemplatesQuery query, CancellationToken cancellationToken)
    {
        var owner = current.Id;
        var page = await paginator.PageAsync(db.Templates.AsNoTracking().Where(t => t.OwnerId == owner), query.Page, TemplateResponse.Keyset,
            TemplateResponse.Row, t => (t.CreatedAt, t.Id.Value), cancellationToken);
        return page.Map(TemplateResponse.From);
    }
}
