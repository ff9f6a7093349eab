using System.Text.Json;
using System.Text.Json.Nodes;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using RenderOwl.Application.Common;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Errors;
using RenderOwl.Application.Common.Pagination;
using RenderOwl.Domain.Common;
using RenderOwl.Domain.Templates;

namespace RenderOwl.Application.Templates;

internal static class TemplateRules
{
    public const int MaxCompositionBytes = 1024 * 1024;

    /// <summary>Declared variables are well named and unique; every placeholder used is declared.</summary>
    public static IEnumerable<FieldError> Check(JsonElement composition, IReadOnlyList<TemplateVariableDto> variables)
    {
        if (composition.ValueKind != JsonValueKind.Object)
        {
            yield return new FieldError("composition", "invalid_type", "'composition' must be an object.");
            yield break;
        }
        if (composition.GetRawText().Length > MaxCompositionBytes)
        {
            yield return new FieldError("composition", "too_large", "'composition' may be at most 1 MiB of JSON.");
        }
        for (var i = 0; i < variables.Count; i++)
        {
            if (variables[i].Name is not { } name || !Placeholders.Name().IsMatch(name))
            {
                yield return new FieldError($"variables[{i}].name", "invalid_name", "Variable names are lower-case letters, digits and _, starting with a letter.");
            }
            else if (variables.Take(i).Any(v => v.Name == name))
            {
                yield return new FieldError($"variables[{i}].name", "duplicate", $"'{name}' is declared twice.");
            }
            if (variables[i].Default is { ValueKind: JsonValueKind.Object or JsonValueKind.Array })
            {
                yield return new FieldError($"variables[{i}].default", "invalid_type", "A default must be a string, number or boolean.");
            }
        }
        var declared = variables.Select(v => v.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var used in Placeholders.Used(JsonNode.Parse(composition.GetRawText())).Where(u => !declared.Contains(u)).Order(StringComparer.Ordinal))
        {
            yield return new FieldError("variables", "undeclared_placeholder", $"The composition uses {{{{{used}}}}} but 'variables' does not declare '{used}'.");
        }
    }

    public static void ThrowIfAny(IEnumerable<FieldError> errors)
    {
        var list = errors.ToList();
        if (list.Count > 0)
        {
            throw new ValidationFailedException(list);
        }
    }

    public static IEnumerable<TemplateVariable> ToDomain(IEnumerable<TemplateVariableDto> variables)
        => variables.Select(v => new TemplateVariable(v.Name, v.Default is { ValueKind: not JsonValueKind.Null and not JsonValueKind.Undefined } d ? d.GetRawText() : null, v.Description));
}

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

public sealed record DeleteTemplateCommand(TemplateId Id) : ITransactionalCommand<Unit>;

public sealed class DeleteTemplateHandler(IAppDbContext db, ICurrentUser current) : ICommandHandler<DeleteTemplateCommand, Unit>
{
    public async ValueTask<Unit> Handle(DeleteTemplateCommand command, CancellationToken cancellationToken)
    {
        var owner = current.Id;
        var deleted = await db.Templates.Where(t => t.Id == command.Id && t.OwnerId == owner).ExecuteDeleteAsync(cancellationToken);
        return deleted == 0 ? throw new NotFoundException("template") : Unit.Value;
    }
}

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

public sealed record ListTemplatesQuery(PageRequest Page) : IQuery<Page<TemplateResponse>>;

public sealed class ListTemplatesHandler(IReadDbContext db, ICurrentUser current, Paginator paginator) : IQueryHandler<ListTemplatesQuery, Page<TemplateResponse>>
{
    public async ValueTask<Page<TemplateResponse>> Handle(ListTemplatesQuery query, CancellationToken cancellationToken)
    {
        var owner = current.Id;
        var page = await paginator.PageAsync(db.Templates.AsNoTracking().Where(t => t.OwnerId == owner), query.Page, TemplateResponse.Keyset,
            TemplateResponse.Whole, t => (t.CreatedAt, t.Id.Value), cancellationToken);
        return new Page<TemplateResponse>(page.Items.Select(TemplateResponse.From).ToList(), page.Metadata);
    }
}

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

/// <summary>Also serves the Rendering module (render from a template) through <see cref="ITemplateResolver"/>.</summary>
public sealed class TemplateResolver(IAppDbContext db, ICurrentUser current, ICompositionValidator compositions) : ITemplateResolver
{
    public async Task<JsonElement> ResolveAsync(TemplateId templateId, IReadOnlyDictionary<string, JsonElement>? modifications, CancellationToken cancellationToken)
    {
        var owner = current.Id;
        var template = await db.Templates.AsNoTracking().FirstOrDefaultAsync(t => t.Id == templateId && t.OwnerId == owner, cancellationToken)
            ?? throw new NotFoundException("template");
        var given = modifications ?? new Dictionary<string, JsonElement>();
        var errors = new List<FieldError>();
        var declared = template.Variables.ToDictionary(v => v.Name, StringComparer.Ordinal);
        foreach (var name in given.Keys.Where(k => !declared.ContainsKey(k)).Order(StringComparer.Ordinal))
        {
            errors.Add(new FieldError($"modifications.{name}", "unknown_variable", $"The template has no variable '{name}'."));
        }
        var values = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var variable in template.Variables)
        {
            if (given.TryGetValue(variable.Name, out var value))
            {
                if (value.ValueKind is JsonValueKind.Object or JsonValueKind.Array or JsonValueKind.Null)
                {
                    errors.Add(new FieldError($"modifications.{variable.Name}", "invalid_type", $"'{variable.Name}' must be a string, number or boolean."));
                }
                values[variable.Name] = value;
            }
            else if (variable.DefaultJson is { } fallback)
            {
                values[variable.Name] = JsonDocument.Parse(fallback).RootElement.Clone();
            }
            else
            {
                errors.Add(new FieldError($"modifications.{variable.Name}", "required", $"The template needs a value for '{variable.Name}'."));
            }
        }
        TemplateRules.ThrowIfAny(errors);
        var resolved = Placeholders.Substitute(JsonNode.Parse(template.CompositionJson), values)!;
        var element = JsonSerializer.SerializeToElement(resolved);
        TemplateRules.ThrowIfAny(compositions.Validate(element, "composition"));
        return element;
    }
}
