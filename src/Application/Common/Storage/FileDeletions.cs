using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Domain.Operations;

namespace RenderOwl.Application.Common.Storage;

/// <summary>
/// Deleting rows that point at stored files without ever leaving an orphan or a dangling row: the files' keys are
/// written to <c>operations.file_deletions</c> in the transaction that deletes the rows; after the commit the files
/// are removed and their entries with them. A crash between the two leaves the entries, and <see cref="DrainAsync"/>
/// (the retention job, account deletion) removes those files later.
/// </summary>
public sealed class FileDeletions(IAppDbContext db, IObjectStorage storage, TimeProvider clock, ILogger<FileDeletions> logger)
{
    /// <summary>Queues <paramref name="keys"/> and runs <paramref name="deleteRows"/> in one transaction, then removes the files. Returns the rows deleted.</summary>
    public async Task<int> DeleteRowsThenFilesAsync(IEnumerable<string> keys, Func<CancellationToken, Task<int>> deleteRows, CancellationToken cancellationToken)
    {
        var list = keys.Distinct(StringComparer.Ordinal).ToList();
        var strategy = db.Database.CreateExecutionStrategy();
        var rows = await strategy.ExecuteAsync(async ct =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            if (list.Count > 0)
            {
                var now = clock.GetUtcNow();
                db.FileDeletions.AddRange(list.Select(k => FileDeletion.For(k, now)));
                await db.SaveChangesAsync(ct);
            }
            var deleted = await deleteRows(ct);
            await transaction.CommitAsync(ct);
            return deleted;
        }, cancellationToken);
        db.ChangeTracker.Clear();
        await RemoveAsync(list, cancellationToken);
        return rows;
    }

    /// <summary>Removes every queued file (left by a crash after its rows' commit); returns how many.</summary>
    public async Task<int> DrainAsync(CancellationToken cancellationToken)
    {
        var total = 0;
        while (true)
        {
            var keys = await db.FileDeletions.AsNoTracking().OrderBy(f => f.EnqueuedAt).Take(IRetentionPolicy.ChunkSize)
                .Select(f => f.StorageKey).ToListAsync(cancellationToken);
            if (keys.Count == 0)
            {
                return total;
            }
            await RemoveAsync(keys, cancellationToken);
            total += keys.Count;
        }
    }

    private async Task RemoveAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        if (keys.Count == 0)
        {
            return;
        }
        foreach (var key in keys)
        {
            try
            {
                await storage.DeleteAsync(key, cancellationToken);
            }
            catch (DirectoryNotFoundException)
            {
                // already gone
            }
        }
        await db.FileDeletions.Where(f => keys.Contains(f.StorageKey)).ExecuteDeleteAsync(cancellationToken);
        logger.LogDebug("Removed {Files} stored file(s)", keys.Count);
    }
}

/// <summary>Stored files left in the deletion queue by a crash after their rows' commit (counted as files, not rows).</summary>
public sealed class FileDeletionRetention(FileDeletions files) : IRetentionPolicy
{
    public string Name => "file_deletions";

    public Task<int> ApplyAsync(DateTimeOffset now, CancellationToken cancellationToken) => files.DrainAsync(cancellationToken);
}
