using System.Text.Json;
using System.Text.Json.Nodes;
using FluentValidation;
using RenderOwl.Application.Common.Errors;
using RenderOwl.Application.Common.Validation;
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
            if (variables[i] is null)
            {
                yield return new FieldError($"variables[{i}]", "required", "A variable is a name or an object with 'name'; null is neither.");
                continue;
            }
            if (variables[i].Name is not { } name || !Placeholders.Name().IsMatch(name))
            {
                yield return new FieldError($"variables[{i}].name", "invalid_name", "Variable names are lower-case letters, digits and _, starting with a letter.");
            }
            else if (variables.Take(i).Any(v => v?.Name == name))
            {
                yield return new FieldError($"variables[{i}].name", "duplicate", $"'{name}' is declared twice.");
            }
            if (variables[i].Default is { ValueKind: JsonValueKind.Object or JsonValueKind.Array })
            {
                yield return new FieldError($"variables[{i}].default", "invalid_type", "A default must be a string, number or boolean.");
            }
        }
        var declared = variables.Select(v => v?.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var used in Placeholders.Used(JsonNode.Parse(composition.GetRawText())).Where(u => !declared.Contains(u)).Order(StringComparer.Ordinal))
        {
            yield return new FieldError("variables", "undeclared_placeholder", $"The composition uses {{{{{used}}}}} but 'variables' does not declare '{used}'.");
        }
    }

    /// <summary>The name rule every template shares (create and update).</summary>
    public static IRuleBuilderOptions<T, string?> TemplateName<T>(this IRuleBuilder<T, string?> rule)
        => rule.NotBlank("name").MaximumLength(Template.NameMaxLength);

    public static IEnumerable<TemplateVariable> ToDomain(IEnumerable<TemplateVariableDto> variables)
        => variables.Select(v => new TemplateVariable(v.Name, v.Default is { ValueKind: not JsonValueKind.Null and not JsonValueKind.Undefined } d ? d.GetRawText() : null, v.Description));
}
