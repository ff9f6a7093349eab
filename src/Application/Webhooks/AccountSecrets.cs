using Microsoft.EntityFrameworkCore;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Domain.Common;
using RenderOwl.Domain.Webhooks;

namespace RenderOwl.Application.Webhooks;

/// <summary>The account's signing secret (for renders' own <c>webhook_url</c>), made on first use.</summary>
public static class AccountSecrets
{
    public static async Task<AccountSigningSecret> GetOrCreateAsync(IAppDbContext db, IWebhookSecrets secrets, UserId owner, DateTimeOffset now, CancellationToken ct)
    {
        if (await db.SigningSecrets.FirstOrDefaultAsync(s => s.OwnerId == owner, ct) is { } existing)
        {
            return existing;
        }
        var created = AccountSigningSecret.Create(owner, secrets.New().Encrypted, now);
        db.SigningSecrets.Add(created);
        await db.SaveChangesAsync(ct);
        return created;
    }
}
