using System.Text.Json;
using FluentValidation;
using Mediator;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Errors;
using RenderOwl.Application.Common.Validation;
using RenderOwl.Domain.Common;

namespace RenderOwl.Application.Templates;

/// <summary>
/// A template with its variables filled: unknown or missing variables are 400s naming them
/// (<c>modifications.&lt;name&gt;</c>), and the result must be a valid composition.
/// </summary>
public sealed record ResolveTemplateQuery(TemplateId Id, IReadOnlyDictionary<string, JsonElement>? Modifications) : IQuery<ResolvedTemplateResponse>;

public sealed class ResolveTemplateValidator : AbstractValidator<ResolveTemplateQuery>
{
    public ResolveTemplateValidator(ITemplateResolver resolver)
        => RuleFor(x => x).CustomAsync(async (query, context, ct) =>
        {
            if (await resolver.ResolveAsync(query.Id, query.Modifications, ct) is { } resolution) // none: the handler's 404
            {
                context.AddFailures(resolution.Errors);
            }
        });
}

public sealed class ResolveTemplateHandler(ITemplateResolver resolver) : IQueryHandler<ResolveTemplateQuery, ResolvedTemplateResponse>
{
    public async ValueTask<ResolvedTemplateResponse> Handle(ResolveTemplateQuery query, CancellationToken cancellationToken)
        => new(query.Id, (await resolver.ResolveAsync(query.Id, query.Modifications, cancellationToken) ?? throw new NotFoundException("template")).Composition);
}
