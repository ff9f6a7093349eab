using System.Text.Json;
using Mediator;
using RenderOwl.Domain.Common;

namespace RenderOwl.Application.Templates;

/// <summary>
/// A template with its variables filled: unknown or missing variables are 400s naming them
/// (<c>modifications.&lt;name&gt;</c>), and the result must be a valid composition.
/// </summary>
public sealed record ResolveTemplateQuery(TemplateId Id, IReadOnlyDictionary<string, JsonElement>? Modifications) : IQuery<ResolvedTemplateResponse>;

public sealed class ResolveTemplateHandler(TemplateResolver resolver) : IQueryHandler<ResolveTemplateQuery, ResolvedTemplateResponse>
{
    public async ValueTask<ResolvedTemplateResponse> Handle(ResolveTemplateQuery query, CancellationToken cancellationToken)
        => new(query.Id, await resolver.ResolveAsync(query.Id, query.Modifications, cancellationToken));
}
