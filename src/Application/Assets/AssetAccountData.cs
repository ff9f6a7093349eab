using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Accounts;
using RenderOwl.Application.Common.Storage;
using RenderOwl.Domain.Common;

namespace RenderOwl.Application.Assets;

/// <summary>The Assets module's part of an account's data: assets and their files (exported; deleted rows first, then files).</summary>
public sealed class AssetAccountData(IAppDbContext db, FileDeletions files) : IAccountExportSource, IAccountErasure
{
    public IEnumerable<ExportSection> Sections(UserId owner) =>
    [
        new(20, "assets.json", ExportLayout.Array, ct => AccountRows.Stream(db.Assets.AsNoTracking().Where(a => a.OwnerId == owner).OrderBy(a => a.Id), AssetResponse.From, ct)),
    ];

    /// <summary>Each asset under <c>files/assets/</c>, named by its id.</summary>
    public async IAsyncEnumerable<ExportFile> Files(UserId owner, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var a in db.Assets.AsNoTracking().Where(a => a.OwnerId == owner).OrderBy(a => a.Id)
            .Select(a => new { a.Id, a.StorageKey, a.ContentType }).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            yield return new ExportFile($"files/assets/{a.Id}.{AssetFiles.Extension(a.ContentType)}", a.StorageKey);
        }
    }

    public IEnumerable<ErasureStep> Steps(AccountScope account)
    {
        var owner = account.User;
        yield return new(50, "assets", async ct =>
        {
            var chunk = await db.Assets.AsNoTracking().Where(a => a.OwnerId == owner).OrderBy(a => a.CreatedAt).Take(IRetentionPolicy.ChunkSize)
                .Select(a => new { a.Id, a.StorageKey }).ToListAsync(ct);
            var ids = chunk.Select(a => a.Id).ToList();
            return chunk.Count == 0 ? 0 : await files.DeleteRowsThenFilesAsync(chunk.Select(a => a.StorageKey), c => db.Assets.Where(a => ids.Contains(a.Id)).ExecuteDeleteAsync(c), ct);
        });
    }
}
