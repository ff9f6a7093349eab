using Mediator;
using Microsoft.EntityFrameworkCore;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Errors;
using RenderOwl.Domain.Common;

namespace RenderOwl.Application.Templates;

public sealed record GetTemplateQuery(TemplateId Id) : IQuery<TemplateResponse>;

public sealed class GetTemplateHandler(IReadDbContext db, ICurrentUser current) : IQueryHandler<GetTemplateQuery, TemplateResponse>
{
    public async ValueTask<TemplateResponse> Handle(GetTemplateQuery query, CancellationToken cancellationToken)
    {
        var owner = current.Id;
        var template = await db.Templates.AsNoTracking().FirstOrDefaultAsync(t => t.Id == query.Id && t.OwnerId == owner, cancellationToken)
            ?? throw new NotFoundException("template");
        return TemplateResponse.From(template);
    }
}
