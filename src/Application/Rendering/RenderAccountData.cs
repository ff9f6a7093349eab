using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Accounts;
using RenderOwl.Application.Common.Storage;
using RenderOwl.Domain.Common;
using RenderOwl.Domain.Rendering;

namespace RenderOwl.Application.Rendering;

/// <summary>
/// The Rendering module's part of an account's data: renders, their events and output files in an export; on deletion
/// its unfinished renders canceled (a running one told to stop, and waited for), then events, renders and outputs.
/// </summary>
public sealed class RenderAccountData(IAppDbContext db, FileDeletions files, IRenderSignals signals, TimeProvider clock, ILogger<RenderAccountData> logger)
    : IAccountExportSource, IAccountErasure, IAccountActivity
{
    private const int Chunk = IRetentionPolicy.ChunkSize;

    public IEnumerable<ExportSection> Sections(UserId owner) =>
    [
        new(40, "renders.json", ExportLayout.Array, ct => AccountRows.Stream(db.Renders.AsNoTracking().Where(r => r.OwnerId == owner && r.ParentId == null).OrderBy(r => r.Id), RenderResponse.From, ct)),
        new(41, "render_events.json", ExportLayout.Array, ct => AccountRows.Stream(
            db.RenderEvents.AsNoTracking().Where(e => db.Renders.Any(r => r.Id == e.RenderId && r.OwnerId == owner && r.ParentId == null)).OrderBy(e => e.Id),
            e => new RenderEventExport(e.RenderId, e.Status, e.Attempt, e.Code, e.Message, e.OccurredAt), ct)),
    ];

    /// <summary>Each render output under <c>files/renders/</c>, named by the render's id.</summary>
    public async IAsyncEnumerable<ExportFile> Files(UserId owner, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var r in db.Renders.AsNoTracking().Where(r => r.OwnerId == owner && r.Output != null && r.OutputExpiredAt == null).OrderBy(r => r.Id)
            .Select(r => new { r.Id, r.Output, r.Settings }).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            yield return new ExportFile($"files/renders/{r.Id}.{OutputFiles.Of(r.Settings.Format).Extension}", r.Output!.StorageKey);
        }
    }

    public IEnumerable<ErasureStep> Steps(AccountScope account)
    {
        var owner = account.User;
        // A render's events go with it, by the chunk of renders (on the events' render_id index): a chunk of events of
        // their own would have to find the account's events through its renders, a join per chunk.
        yield return new(41, "renders", async ct =>
        {
            var chunk = await db.Renders.AsNoTracking().Where(r => r.OwnerId == owner).OrderBy(r => r.CreatedAt).Take(Chunk)
                .Select(r => new { r.Id, Output = r.OutputExpiredAt != null ? null : r.Output }).ToListAsync(ct);
            if (chunk.Count == 0)
            {
                return 0;
            }
            var ids = chunk.Select(r => r.Id).ToList();
            return await files.DeleteRowsThenFilesAsync(chunk.SelectMany(r => r.Output?.Keys() ?? []), async c =>
            {
                await db.RenderEvents.Where(e => ids.Contains(e.RenderId)).ExecuteDeleteAsync(c);
                return await db.Renders.Where(r => ids.Contains(r.Id)).ExecuteDeleteAsync(c);
            }, ct);
        });
    }

    /// <summary>Cancels every unfinished render (no webhook or e-mail follows); a running one is told to stop.</summary>
    public async Task StopAsync(UserId owner, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var unfinished = await db.Renders.Where(r => r.OwnerId == owner && (r.Status == RenderStatus.Queued || r.Status == RenderStatus.Rendering)).ToListAsync(cancellationToken);
        foreach (var render in unfinished)
        {
            if (!render.RequestCancel(now))
            {
                await signals.CancelRequestedAsync(render.Id, cancellationToken);
            }
        }
    }

    /// <summary>A render still held by a live worker lease: asked again to stop (the first signal may have been missed).</summary>
    public async Task<bool> StillRunningAsync(UserId owner, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var running = await db.Renders.AsNoTracking()
            .Where(r => r.OwnerId == owner && r.Status == RenderStatus.Rendering && r.LeaseExpiresAt > now).Select(r => r.Id).ToListAsync(cancellationToken);
        foreach (var id in running)
        {
            await signals.CancelRequestedAsync(id, cancellationToken);
        }
        if (running.Count > 0)
        {
            logger.LogInformation("Deletion of {UserId} waits for {Renders} render(s) to stop", owner, running.Count);
        }
        return running.Count > 0;
    }
}

public sealed record RenderEventExport(RenderId RenderId, string Status, int? Attempt, string? Code, string? Message, DateTimeOffset OccurredAt);
