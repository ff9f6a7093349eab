using RenderOwl.Domain.Common;

namespace RenderOwl.Domain.Templates;

/// <summary>A declared placeholder of a template: <c>{{name}}</c> in the composition's strings. The default is raw JSON (any scalar).</summary>
public sealed record TemplateVariable(string Name, string? DefaultJson, string? Description);

/// <summary>A composition with placeholders, kept as the JSON the client sent.</summary>
public sealed class Template
{
    public const int NameMaxLength = 200;

    private Template()
    {
        Name = string.Empty;
        CompositionJson = "{}";
        Variables = [];
    }

    public TemplateId Id { get; private set; }
    public UserId OwnerId { get; private set; }
    public string Name { get; private set; }
    public string? Description { get; private set; }
    public string CompositionJson { get; private set; }
    public List<TemplateVariable> Variables { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }

    public static Template Create(UserId ownerId, string name, string? description, string compositionJson, IEnumerable<TemplateVariable> variables, DateTimeOffset now)
    {
        now = Clock.ToStoragePrecision(now);
        return new Template
        {
            Id = TypedId.New<TemplateId>(now),
            OwnerId = ownerId,
            Name = name.Trim(),
            Description = description,
            CompositionJson = compositionJson,
            Variables = [.. variables],
            CreatedAt = now,
            UpdatedAt = now,
        };
    }

    public void Update(string? name, string? description, bool descriptionSet, string? compositionJson, IEnumerable<TemplateVariable>? variables, DateTimeOffset now)
    {
        if (name is not null)
        {
            Name = name.Trim();
        }
        if (descriptionSet)
        {
            Description = description;
        }
        if (compositionJson is not null)
        {
            CompositionJson = compositionJson;
        }
        if (variables is not null)
        {
            Variables = [.. variables];
        }
        UpdatedAt = Clock.ToStoragePrecision(now);
    }
}
