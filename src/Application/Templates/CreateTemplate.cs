using System.Text.Json;
using FluentValidation;
using Mediator;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Validation;
using RenderOwl.Domain.Templates;

namespace RenderOwl.Application.Templates;

public sealed record CreateTemplateCommand(string Name, string? Description, JsonElement Composition, IReadOnlyList<TemplateVariableDto>? Variables)
    : ITransactionalCommand<TemplateResponse>;

public sealed class CreateTemplateValidator : AbstractValidator<CreateTemplateCommand>
{
    public CreateTemplateValidator()
    {
        RuleFor(x => x.Name).TemplateName();
        RuleFor(x => x.Description).MaximumLength(2000);
        RuleFor(x => x.Variables).Must(v => v is null || v.Count <= 100).WithErrorCode("too_many").WithMessage("At most 100 variables.");
        RuleFor(x => x).Custom((command, context) => context.AddFailures(TemplateRules.Check(command.Composition, command.Variables ?? [])));
    }
}

public sealed class CreateTemplateHandler(IAppDbContext db, ICurrentUser current, TimeProvider clock) : ICommandHandler<CreateTemplateCommand, TemplateResponse>
{
    public async ValueTask<TemplateResponse> Handle(CreateTemplateCommand command, CancellationToken cancellationToken)
    {
        var template = Template.Create(current.Id, command.Name, command.Description, command.Composition.GetRawText(),
            TemplateRules.ToDomain(command.Variables ?? []), clock.GetUtcNow());
        db.Templates.Add(template);
        await db.SaveChangesAsync(cancellationToken);
        return TemplateResponse.From(template);
    }
}
