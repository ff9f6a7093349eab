using System.Linq.Expressions;
using System.Text.Json;
using RenderOwl.Application.Common.Json;
using RenderOwl.Application.Common.Pagination;
using RenderOwl.Domain.Common;
using RenderOwl.Domain.Templates;

namespace RenderOwl.Application.Templates;

/// <summary>A declared variable: <c>{"name", "default"?, "description"?}</c>, or the bare string <c>"title"</c> for <c>{"name": "title"}</c>.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(TemplateVariableConverter))]
public sealed record TemplateVariableDto(string Name, JsonElement? Default, string? Description)
{
    public static TemplateVariableDto From(TemplateVariable v)
        => new(v.Name, v.DefaultJson is null ? null : JsonElements.Parse(v.DefaultJson), v.Description);
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
    /// <summary>The columns a response shows, selected in SQL by the list; <see cref="From(TemplateRow)"/> parses the JSON.</summary>
    internal static readonly Expression<Func<Template, TemplateRow>> Row = t => new TemplateRow(t.Id, t.Name, t.Description, t.CompositionJson, t.Variables, t.CreatedAt, t.UpdatedAt);

    public static TemplateResponse From(Template t) => From(new TemplateRow(t.Id, t.Name, t.Description, t.CompositionJson, t.Variables, t.CreatedAt, t.UpdatedAt));

    internal static TemplateResponse From(TemplateRow t) => new(t.Id, t.Name, t.Description, JsonElements.Parse(t.CompositionJson),
        t.Variables.Select(TemplateVariableDto.From).ToList(), t.CreatedAt, t.UpdatedAt);

    internal static readonly Keyset<Template> Keyset = Keysets.NewestFirst<Template, TemplateId>(t => t.CreatedAt, t => t.Id, TemplateId.From);

}

public sealed record ResolvedTemplateResponse(TemplateId TemplateId, JsonElement Composition);

internal sealed record TemplateRow(TemplateId Id, string Name, string? Description, string CompositionJson, List<TemplateVariable> Variables,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);
