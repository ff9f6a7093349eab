using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using RenderOwl.Application.Common;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Accounts;
using RenderOwl.Application.Common.Storage;
using RenderOwl.Domain.Common;
using RenderOwl.Domain.Identity;

namespace RenderOwl.Application.Identity.Exports;

/// <summary>
/// The Identity module's part of an account's data: the account itself and its API keys (never a hash), and on
/// deletion its exports (rows, then files), keys, sessions and — last of everything — the user row.
/// </summary>
public sealed class IdentityAccountData(IAppDbContext db, FileDeletions files) : IAccountExportSource, IAccountErasure
{
    private const int Chunk = IRetentionPolicy.ChunkSize;

    public IEnumerable<ExportSection> Sections(UserId owner) =>
    [
        new(0, "account.json", ExportLayout.Object, ct => Account(owner, ct)),
        new(50, "api_keys.json", ExportLayout.Array, ct => AccountRows.Stream(db.ApiKeys.AsNoTracking().Where(k => k.UserId == owner).OrderBy(k => k.Id)
            .Select(k => new ApiKeyExport(k.Id, k.Name, k.Mode, k.Prefix, k.CreatedAt, k.LastUsedAt, k.RevokedAt)), k => k, ct)),
    ];

    public IEnumerable<ErasureStep> Steps(AccountScope account)
    {
        var owner = account.User;
        yield return new(70, "exports", async ct =>
        {
            var chunk = await db.Exports.AsNoTracking().Where(e => e.UserId == owner).OrderBy(e => e.CreatedAt).Take(Chunk).Select(e => new { e.Id, e.StorageKey }).ToListAsync(ct);
            var ids = chunk.Select(e => e.Id).ToList();
            return chunk.Count == 0 ? 0 : await files.DeleteRowsThenFilesAsync(chunk.Select(e => e.StorageKey).OfType<string>(), c => db.Exports.Where(e => ids.Contains(e.Id)).ExecuteDeleteAsync(c), ct);
        });
        yield return new(90, "api_keys", ct => Chunks.DeleteChunkAsync(db.ApiKeys.Where(k => k.UserId == owner), k => k.Id, k => k.CreatedAt, ct));
        yield return new(91, "refresh_tokens", ct => Chunks.DeleteChunkAsync(db.RefreshTokens.Where(t => t.UserId == owner), t => t.Id, t => t.CreatedAt, ct));
        yield return new(ErasureStep.LastOrder, "users", ct => db.Users.Where(u => u.Id == owner && u.DeletionRequestedAt != null).ExecuteDeleteAsync(ct));
    }

    private async IAsyncEnumerable<object> Account(UserId owner, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var user = await db.Users.AsNoTracking().FirstAsync(u => u.Id == owner, cancellationToken);
        yield return new AccountExport(user.Id, user.Email, user.Name, user.Tier, user.Role, user.EmailNotifications, user.CreatedAt, user.UpdatedAt);
    }
}

public sealed record AccountExport(UserId Id, string Email, string Name, Tier Tier, Role Role, bool EmailNotifications, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

public sealed record ApiKeyExport(ApiKeyId Id, string Name, ApiKeyMode Mode, string Prefix, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt);
