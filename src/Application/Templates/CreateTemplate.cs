using System.Text.Json;
using FluentValidation;
using Mediator;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Domain.Templates;

namespace RenderOwl.Application.Templates;

public sealed record CreateTemplateCommand(string Name, string? Description, JsonElement Composition, IReadOnlyList<TemplateVariableDto>? Variables)
    : ITransactionalCommand<TemplateResponse>;

public sealed class CreateTemplateValidator : AbstractValidator<CreateTemplateCommand>
{
    public CreateTemplateValidator()
    {
        RuleFor(x => x.Name).Must(n => !string.IsNullOrWhiteSpace(n)).WithErrorCode("required").WithMessage("'name' must not be empty.").MaximumLength(Template.NameMaxLength);
        RuleFor(x => x.Description).MaximumLength(2000);
        RuleFor(x => x.Variables).Must(v => v is null || v.Count <= 100).WithErrorCode("too_many").WithMessage("At most 100 variables.");
    }
}

public sealed class CreateTemplateHandler(IAppDbContext db, ICurrentUser current, TimeProvider clock) : ICommandHandler<CreateTemplateCommand, TemplateResponse>
{
    public async ValueTask<TemplateResponse> Handle(CreateTemplateCommand command, CancellationToken cancellationToken)
    {
        var variables = command.Variables ?? [];
        TemplateRules.ThrowIfAny(TemplateRules.Check(command.Composition, variables));
        var template = Template.Create(current.Id, command.Name, command.Description, command.Composition.GetRawText(), TemplateRules.ToDomain(variables), clock.GetUtcNow());
        db.Templates.Add(template);
        await db.SaveChangesAsync(cancellationToken);
        return TemplateResponse.From(template);
    }
}
