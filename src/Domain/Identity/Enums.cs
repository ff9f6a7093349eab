namespace RenderOwl.Domain.Identity;

public enum Tier
{
    Free,
    Starter,
    Creator,
    Pro,
    Enterprise,
}

public enum Role
{
    User,
    Admin,

    /// <summary>A user in the API; may look at the jobs dashboard, without changing jobs, when <c>Hangfire:ReadOnlyRole</c> is <c>operator</c>.</summary>
    Operator,
}
