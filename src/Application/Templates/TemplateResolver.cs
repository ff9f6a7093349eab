using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Errors;
using RenderOwl.Application.Common.Json;
using RenderOwl.Domain.Common;

namespace RenderOwl.Application.Templates;

/// <summary>
/// Fills a template's variables. Also serves the Rendering module (render from a template) through
/// <see cref="ITemplateResolver"/>. Resolutions are remembered for the request (scoped), so the validator that
/// reports a template's errors and the handler that uses its composition resolve it once.
/// </summary>
public sealed class TemplateResolver(IAppDbContext db, ICurrentUser current, ICompositionValidator compositions) : ITemplateResolver
{
    private readonly Dictionary<(TemplateId, object?), TemplateResolution?> _resolved = [];

    public async Task<TemplateResolution?> ResolveAsync(TemplateId templateId, IReadOnlyDictionary<string, JsonElement>? modifications, CancellationToken cancellationToken)
    {
        var key = (templateId, (object?)modifications); // the same request's dictionary, by reference
        if (!_resolved.TryGetValue(key, out var resolution))
        {
            resolution = await ResolveOnceAsync(templateId, modifications ?? new Dictionary<string, JsonElement>(), cancellationToken);
            _resolved[key] = resolution;
        }
        return resolution;
    }

    private async Task<TemplateResolution?> ResolveOnceAsync(TemplateId templateId, IReadOnlyDictionary<string, JsonElement> given, CancellationToken cancellationToken)
    {
        var owner = current.Id;
        var template = await db.Templates.AsNoTracking().FirstOrDefaultAsync(t => t.Id == templateId && t.OwnerId == owner, cancellationToken);
        if (template is null)
        {
            return null;
        }
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
                values[variable.Name] = JsonElements.Parse(fallback);
            }
            else
            {
                errors.Add(new FieldError($"modifications.{variable.Name}", "required", $"The template needs a value for '{variable.Name}'."));
            }
        }
        if (errors.Count > 0)
        {
            return new TemplateResolution(default, errors);
        }
        var resolved = JsonSerializer.SerializeToElement(Placeholders.Substitute(JsonNode.Parse(template.CompositionJson), values)!);
        return new TemplateResolution(resolved, compositions.Validate(resolved, "composition"));
    }
}
