using RenderOwl.Domain.Common;

namespace RenderOwl.Domain.Projects;

public sealed class Project
{
    public const int NameMaxLength = 200;
    public const int DescriptionMaxLength = 2000;

    private Project()
    {
        Name = string.Empty;
    }

    public ProjectId Id { get; private set; }
    public UserId OwnerId { get; private set; }
    public string Name { get; private set; }
    public string? Description { get; private set; }
    public int RenderCount { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }

    public static Project Create(UserId ownerId, string name, string? description, DateTimeOffset now)
    {
        now = Clock.ToStoragePrecision(now);
        return new Project
        {
            Id = TypedId.New<ProjectId>(now),
            OwnerId = ownerId,
            Name = name.Trim(),
            Description = description,
            CreatedAt = now,
            UpdatedAt = now,
        };
    }

    public void Rename(string name, DateTimeOffset now)
    {
        Name = name.Trim();
        UpdatedAt = Clock.ToStoragePrecision(now);
    }

    public void Describe(string? description, DateTimeOffset now)
    {
        Description = description;
        UpdatedAt = Clock.ToStoragePrecision(now);
    }
}
