using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using RenderOwl.Application.Common;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Caching;
using RenderOwl.Application.Common.Storage;
using RenderOwl.Domain.Common;
using RenderOwl.Domain.Rendering;

namespace RenderOwl.Application.Rendering;

/// <summary>
/// Output files of renders finished more than <see cref="RetentionOptions.RenderOutputsDays"/> ago: the render stays and
/// its output shows <c>status: expired</c>; the file is queued for deletion in the transaction that marks it, then removed.
/// </summary>
public sealed class RenderOutputRetention(IAppDbContext db, FileDeletions files, AppCache cache, IOptions<RetentionOptions> options) : IRetentionPolicy
{
    public string Name => "render_outputs";

    public async Task<int> ApplyAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var cutoff = now.AddDays(-options.Value.RenderOutputsDays);
        var expiredAt = Clock.ToStoragePrecision(now);
        var total = 0;
        while (true)
        {
            var chunk = await db.Renders.AsNoTracking()
                .Where(r => r.FinishedAt < cutoff && r.Status == RenderStatus.Succeeded && r.Output != null && r.OutputExpiredAt == null)
                .OrderBy(r => r.FinishedAt).Take(IRetentionPolicy.ChunkSize).Select(r => new { r.Id, r.Output!.StorageKey, r.Output.PosterKey, r.Output.ThumbnailsKey }).ToListAsync(cancellationToken);
            if (chunk.Count == 0)
            {
                return total;
            }
            var ids = chunk.Select(r => r.Id).ToList();
            total += await files.DeleteRowsThenFilesAsync(chunk.SelectMany(r => new[] { r.StorageKey, r.PosterKey, r.ThumbnailsKey }).OfType<string>(),
                ct => db.Renders.Where(r => ids.Contains(r.Id)).ExecuteUpdateAsync(s => s.SetProperty(r => r.OutputExpiredAt, expiredAt), ct), cancellationToken);
            await cache.InvalidateAsync([.. ids.Select(CacheKeys.Render)], cancellationToken);
        }
    }
}

/// <summary>
/// Renders finished more than <see cref="RetentionOptions.FinishedRendersDays"/> ago, with their events and any output
/// file retention has not removed yet (rows first, then files). Queued and running renders are never touched.
/// </summary>
public sealed class FinishedRenderRetention(IAppDbContext db, FileDeletions files, AppCache cache, IOptions<RetentionOptions> options) : IRetentionPolicy
{
    public string Name => "renders";

    public async Task<int> ApplyAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var cutoff = now.AddDays(-options.Value.FinishedRendersDays);
        var total = 0;
        while (true)
        {
            var chunk = await db.Renders.AsNoTracking()
                .Where(r => r.FinishedAt < cutoff && (r.Status == RenderStatus.Succeeded || r.Status == RenderStatus.Failed || r.Status == RenderStatus.Canceled))
                .OrderBy(r => r.FinishedAt).Take(IRetentionPolicy.ChunkSize)
                .Select(r => new { r.Id, Output = r.OutputExpiredAt != null ? null : r.Output }).ToListAsync(cancellationToken);
            if (chunk.Count == 0)
            {
                return total;
            }
            var ids = chunk.Select(r => r.Id).ToList();
            total += await files.DeleteRowsThenFilesAsync(chunk.SelectMany(r => r.Output?.Keys() ?? []), async ct =>
            {
                await db.RenderEvents.Where(e => ids.Contains(e.RenderId)).ExecuteDeleteAsync(ct);
                return await db.Renders.Where(r => ids.Contains(r.Id)).ExecuteDeleteAsync(ct);
            }, cancellationToken);
            await cache.InvalidateAsync([.. ids.Select(CacheKeys.Render)], cancellationToken);
        }
    }
}
