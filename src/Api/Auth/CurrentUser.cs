using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Errors;
using RenderOwl.Domain.Common;
using RenderOwl.Domain.Identity;

namespace RenderOwl.Api.Auth;

/// <summary>The caller, read from the authenticated principal's claims (a session token or an API key).</summary>
public sealed class CurrentUser(IHttpContextAccessor accessor) : ICurrentUser
{
    public bool IsAuthenticated => accessor.HttpContext?.User.Identity?.IsAuthenticated == true;

    public UserId Id => TypedId.TryParse<UserId>(accessor.HttpContext?.User.FindFirst("sub")?.Value, out var id)
        ? id
        : throw new UnauthorizedException(ErrorCatalog.Unauthorized, "This operation needs an authenticated account.");

    public Role Role => accessor.HttpContext?.User.IsInRole("admin") == true ? Role.Admin : Role.User;

    public Tier Tier => Enum.TryParse<Tier>(accessor.HttpContext?.User.FindFirst("tier")?.Value, ignoreCase: true, out var tier) ? tier : Tier.Free;

    public ApiKeyMode Mode => accessor.HttpContext?.User.FindFirst("mode")?.Value == "test" ? ApiKeyMode.Test : ApiKeyMode.Live;

    public ApiKeyId? ApiKeyId => TypedId.TryParse<ApiKeyId>(accessor.HttpContext?.User.FindFirst("key_id")?.Value, out var id) ? id : null;

    public DateTimeOffset? AuthenticatedAt
        => ApiKeyId is null && long.TryParse(accessor.HttpContext?.User.FindFirst("auth_time")?.Value, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;
}
