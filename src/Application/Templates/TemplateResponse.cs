using System.Linq.Expressions;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using RenderOwl.Application.Common.Pagination;
using RenderOwl.Domain.Common;
using RenderOwl.Domain.Templates;

namespace RenderOwl.Application.Templates;

/// <summary>A declared variable: <c>{"name", "default"?, "description"?}</c>, or the bare string <c>"title"</c> for <c>{"name": "title"}</c>.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(TemplateVariableConverter))]
public sealed record TemplateVariableDto(string Name, JsonElement? Default, string? Description)
{
    public static TemplateVariableDto From(TemplateVariable v)
        => new(v.Name, v.DefaultJson is null ? null : JsonDocument.Parse(v.DefaultJson).RootElement.Clone(), v.Description);
}

public sealed class TemplateVariableConverter : System.Text.Json.Serialization.JsonConverter<TemplateVariableDto>
{
    public override TemplateVariableDto? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return new TemplateVariableDto(reader.GetString()!, null, null);
        }
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("A variable is a name (a string) or an object with 'name', 'default' and 'description'.");
        }
        using var document = JsonDocument.ParseValue(ref reader);
        var e = document.RootElement;
        string? Text(string name) => e.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null
            ? v.ValueKind == JsonValueKind.String ? v.GetString() : throw new JsonException($"'{name}' must be a string.")
            : null;
        return new TemplateVariableDto(Text("name")!, e.TryGetProperty("default", out var d) && d.ValueKind != JsonValueKind.Null ? d.Clone() : null, Text("description"));
    }

    public override void Write(Utf8JsonWriter writer, TemplateVariableDto value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteString("name", value.Name);
        writer.WritePropertyName("default");
        if (value.Default is { } d)
        {
            d.WriteTo(writer);
        }
        else
        {
            writer.WriteNullValue();
        }
        writer.WriteString("description", value.Description);
        writer.WriteEndObject();
    }
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
