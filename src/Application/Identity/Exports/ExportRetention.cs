using Microsoft.EntityFrameworkCore;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Storage;
using RenderOwl.Domain.Identity;

namespace RenderOwl.Application.Identity.Exports;

/// <summary>Exports past their 7 days: the row goes and its file is queued for deletion in the same transaction, then removed.</summary>
public sealed class ExportRetention(IAppDbContext db, FileDeletions files) : IRetentionPolicy
{
    public string Name => "exports";

    public async Task<int> ApplyAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var cutoff = now - DataExport.Lifetime;
        var total = 0;
        while (true)
        {
            var chunk = await db.Exports.Where(e => e.CreatedAt < cutoff && e.Status != ExportStatus.Queued && e.Status != ExportStatus.Running)
                .OrderBy(e => e.CreatedAt).Take(IRetentionPolicy.ChunkSize).Select(e => new { e.Id, e.StorageKey }).ToListAsync(cancellationToken);
            if (chunk.Count == 0)
            {
                break;
            }
            var ids = chunk.Select(e => e.Id).ToList();
            total += await files.DeleteRowsThenFilesAsync(chunk.Select(e => e.StorageKey).OfType<string>(),
                ct => db.Exports.Where(e => ids.Contains(e.Id)).ExecuteDeleteAsync(ct), cancellationToken);
        }
        return total;
    }
}
