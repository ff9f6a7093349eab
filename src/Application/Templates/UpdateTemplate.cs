using System.Text.Json;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using RenderOwl.Application.Common;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Errors;
using RenderOwl.Application.Common.Json;
using RenderOwl.Application.Common.Validation;
using RenderOwl.Domain.Common;

namespace RenderOwl.Application.Templates;

public sealed record UpdateTemplateCommand(TemplateId Id, Optional<string> Name, Optional<string?> Description, Optional<JsonElement> Composition,
    Optional<IReadOnlyList<TemplateVariableDto>> Variables) : ITransactionalCommand<TemplateResponse>;

public sealed class UpdateTemplateValidator : AbstractValidator<UpdateTemplateCommand>
{
    public UpdateTemplateValidator(IAppDbContext db, ICurrentUser current)
    {
        RuleFor(x => x.Name.Value).TemplateName().OverridePropertyName("name").When(x => x.Name.IsSet);
        RuleFor(x => x.Description.Value).MaximumLength(2000).OverridePropertyName("description").When(x => x.Description.IsSet);
        // The placeholders used must be declared: checked on the template as it will be, new parts over stored ones.
        RuleFor(x => x).CustomAsync(async (command, context, ct) =>
        {
            var owner = current.Id;
            var stored = await db.Templates.AsNoTracking().Where(t => t.Id == command.Id && t.OwnerId == owner)
                .Select(t => new { t.CompositionJson, t.Variables }).FirstOrDefaultAsync(ct);
            if (stored is not null) // none: the handler's 404
            {
                var composition = command.Composition.IsSet ? command.Composition.Value : JsonElements.Parse(stored.CompositionJson);
                var variables = command.Variables.IsSet ? command.Variables.Value ?? [] : stored.Variables.Select(TemplateVariableDto.From).ToList();
                context.AddFailures(TemplateRules.Check(composition, variables));
            }
        }).When(x => x.Composition.IsSet || x.Variables.IsSet);
    }
}

public sealed class UpdateTemplateHandler(IAppDbContext db, ICurrentUser current, TimeProvider clock) : ICommandHandler<UpdateTemplateCommand, TemplateResponse>
{
    public async ValueTask<TemplateResponse> Handle(UpdateTemplateCommand command, CancellationToken cancellationToken)
    {
        var owner = current.Id;
        var template = await db.Templates.FirstOrDefaultAsync(t => t.Id == command.Id && t.OwnerId == owner, cancellationToken)
            ?? throw new NotFoundException("template");
        template.Update(command.Name.IsSet ? command.Name.Value : null, command.Description.Value, command.Description.IsSet,
            command.Composition.IsSet ? command.Composition.Value.GetRawText() : null,
            command.Variables.IsSet ? TemplateRules.ToDomain(command.Variables.Value ?? []) : null, clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        return TemplateResponse.From(template);
    }
}
