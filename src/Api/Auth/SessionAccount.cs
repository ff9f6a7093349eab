using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using RenderOwl.Application.Identity;
using RenderOwl.Domain.Common;

namespace RenderOwl.Api.Auth;

/// <summary>
/// A session token's tier and role replaced by the account's current ones, from the cached account: an admin's
/// tier or role change applies to the account's next request, not at its next token refresh. When the account
/// cannot be read (PostgreSQL away and the account not cached), the token's own claims stand: they were true when
/// it was issued, at most an access token's lifetime ago, and a request that needs no database still succeeds.
/// </summary>
public static class SessionAccount
{
    public static async Task<bool> ApplyAsync(TokenValidatedContext context)
    {
        if (context.Principal?.Identity is not ClaimsIdentity identity
            || !TypedId.TryParse<UserId>(identity.FindFirst("sub")?.Value, out var id))
        {
            return false;
        }
        AccountView? account;
        try
        {
            account = await context.HttpContext.RequestServices.GetRequiredService<AccountReads>().FindAsync(id, context.HttpContext.RequestAborted);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SessionAccount))
                .LogWarning(ex, "Could not read account {UserId}; using the tier and role of its token", id);
            return true;
        }
        if (account is null)
        {
            return false;
        }
        foreach (var claim in identity.FindAll(c => c.Type is "tier" or "role").ToList())
        {
            identity.RemoveClaim(claim);
        }
        identity.AddClaim(new Claim("role", account.Role.ToString().ToLowerInvariant()));
        identity.AddClaim(new Claim("tier", account.Tier.ToString().ToLowerInvariant()));
        return true;
    }
}
