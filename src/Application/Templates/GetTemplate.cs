using Mediator;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Errors;
using RenderOwl.Domain.Common;

namespace RenderOwl.Application.Templates;

public sealed record GetTemplateQuery(TemplateId Id) : IQuery<TemplateResponse>;

public sealed class GetTemplateHandler(TemplateReads templates, ICurrentUser current) : IQueryHandler<GetTemplateQuery, TemplateResponse>
{
    public async ValueTask<TemplateResponse> Handle(GetTemplateQuery query, CancellationToken cancellationToken)
    {
        var owner = current.Id;
        return await templates.FindAsync(query.Id, cancellationToken) is { } template && template.OwnerId == owner
            ? template.Value
            : throw new NotFoundException("template");
    }
}
