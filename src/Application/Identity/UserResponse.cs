using RenderOwl.Domain.Common;
using RenderOwl.Domain.Identity;

namespace RenderOwl.Application.Identity;

public sealed record UserResponse(UserId Id, string Email, string Name, Tier Tier, Role Role, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static UserResponse From(User u) => new(u.Id, u.Email, u.Name, u.Tier, u.Role, u.CreatedAt, u.UpdatedAt);
}

public sealed record AuthResponse(UserResponse User, string AccessToken, string RefreshToken, int ExpiresIn, string TokenType = "Bearer");
