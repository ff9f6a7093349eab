using System.Text.Json;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using RenderOwl.Application.Common;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Errors;
using RenderOwl.Domain.Common;
using RenderOwl.Domain.Templates;

namespace RenderOwl.Application.Templates;

public sealed record UpdateTemplateCommand(TemplateId Id, Optional<string> Name, Optional<string?> Description, Optional<JsonElement> Composition,
    Optional<IReadOnlyList<TemplateVariableDto>> Variables) : ITransactionalCommand<TemplateResponse>;

public sealed class UpdateTemplateValidator : AbstractValidator<UpdateTemplateCommand>
{
    public UpdateTemplateValidator()
    {
        RuleFor(x => x.Name.Value).Must(n => !string.IsNullOrWhiteSpace(n)).WithErrorCode("required").WithMessage("'name' must not be empty.")
            .MaximumLength(Template.NameMaxLength).OverridePropertyName("name").When(x => x.Name.IsSet);
        RuleFor(x => x.Description.Value).MaximumLength(2000).OverridePropertyName("description").When(x => x.Description.IsSet);
    }
}

public sealed class UpdateTemplateHandler(IAppDbContext db, ICurrentUser current, TimeProvider clock) : ICommandHandler<UpdateTemplateCommand, TemplateResponse>
{
    public async ValueTask<TemplateResponse> Handle(UpdateTemplateCommand command, CancellationToken cancellationToken)
    {
        var owner = current.Id;
        var template = await db.Templates.FirstOrDefaultAsync(t => t.Id == command.Id && t.OwnerId == owner, cancellationToken)
            ?? throw new NotFoundException("template");
        var composition = command.Composition.IsSet ? command.Composition.Value : JsonDocument.Parse(template.CompositionJson).RootElement.Clone();
        var variables = command.Variables.IsSet ? command.Variables.Value ?? [] : template.Variables.Select(TemplateVariableDto.From).ToList();
        TemplateRules.ThrowIfAny(TemplateRules.Check(composition, variables));
        template.Update(command.Name.IsSet ? command.Name.Value : null, command.Description.Value, command.Description.IsSet,
            command.Composition.IsSet ? composition.GetRawText() : null, command.Variables.IsSet ? TemplateRules.ToDomain(variables) : null, clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        return TemplateResponse.From(template);
    }
}
