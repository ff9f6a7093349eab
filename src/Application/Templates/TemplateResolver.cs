using System.Text.Json;
using System.Text.Json.Nodes;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Errors;
using RenderOwl.Domain.Common;

namespace RenderOwl.Application.Templates;

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
