using System.Linq.Expressions;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using RenderOwl.Application.Common.Pagination;
using RenderOwl.Domain.Common;
using RenderOwl.Domain.Templates;

namespace RenderOwl.Application.Templates;

public sealed record TemplateVariableDto(string Name, JsonElement? Default, string? Description)
{
    public static TemplateVariableDto From(TemplateVariable v)
        => new(v.Name, v.DefaultJson is null ? null : JsonDocument.Parse(v.DefaultJson).RootElement.Clone(), v.Description);
}

public sealed record TemplateResponse(TemplateId Id, string Name, string? Description, JsonElement Composition, IReadOnlyList<TemplateVariableDto> Variables,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static TemplateResponse From(Template t) => new(t.Id, t.Name, t.Description, Parse(t.CompositionJson),
        t.Variables.Select(TemplateVariableDto.From).ToList(), t.CreatedAt, t.UpdatedAt);

    private static JsonElement Parse(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.Clone();
    }

    internal static readonly Keyset<Template> Keyset = new(
        q => q.OrderByDescending(t => t.CreatedAt).ThenByDescending(t => t.Id),
        (createdAt, id) =>
        {
            var templateId = new TemplateId(id);
            return t => EF.Functions.LessThan(ValueTuple.Create(t.CreatedAt, t.Id), ValueTuple.Create(createdAt, templateId));
        });

    internal static readonly Expression<Func<Template, Template>> Whole = t => t;
}

public sealed record ResolvedTemplateResponse(TemplateId TemplateId, JsonElement Composition);
