using RenderOwl.Domain.Common;

namespace RenderOwl.Domain.Identity;

public sealed class User
{
    private User()
    {
        Email = string.Empty;
        Name = string.Empty;
        PasswordHash = string.Empty;
    }

    public UserId Id { get; private set; }
    public string Email { get; private set; }
    public string Name { get; private set; }
    public string PasswordHash { get; private set; }
    public Tier Tier { get; private set; }
    public Role Role { get; private set; }
    /// <summary>Opted in to an e-mail for every finished render (off by default).</summary>
    public bool EmailNotifications { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }
    /// <summary>Set by <c>DELETE /v1/me</c>: from then on the account's credentials are refused and a job deletes what it owns.</summary>
    public DateTimeOffset? DeletionRequestedAt { get; private set; }

    public bool IsBeingDeleted => DeletionRequestedAt is not null;

    public static string NormalizeEmail(string email) => email.Trim().ToLowerInvariant();

    public static User Register(string email, string name, string passwordHash, DateTimeOffset now)
    {
        now = Clock.ToStoragePrecision(now);
        return new User
        {
            Id = TypedId.New<UserId>(now),
            Email = NormalizeEmail(email),
            Name = name.Trim(),
            PasswordHash = passwordHash,
            Tier = Tier.Free,
            Role = Role.User,
            CreatedAt = now,
            UpdatedAt = now,
        };
    }

    public void ChangePasswordHash(string passwordHash, DateTimeOffset now)
    {
        PasswordHash = passwordHash;
        UpdatedAt = Clock.ToStoragePrecision(now);
    }

    public void UpdateProfile(string? name, bool? emailNotifications, DateTimeOffset now)
    {
        Name = name ?? Name;
        EmailNotifications = emailNotifications ?? EmailNotifications;
        UpdatedAt = Clock.ToStoragePrecision(now);
    }

    public void RequestDeletion(DateTimeOffset now)
    {
        DeletionRequestedAt ??= Clock.ToStoragePrecision(now);
        UpdatedAt = Clock.ToStoragePrecision(now);
    }

    public void ChangeTier(Tier tier, DateTimeOffset now)
    {
        Tier = tier;
        UpdatedAt = Clock.ToStoragePrecision(now);
    }

    public void ChangeRole(Role role, DateTimeOffset now)
    {
        Role = role;
        UpdatedAt = Clock.ToStoragePrecision(now);
    }
}
