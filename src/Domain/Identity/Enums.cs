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
}
