using Hangfire;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Rendering;
using RenderOwl.Domain.Common;
using RenderOwl.Domain.Rendering;

namespace RenderOwl.Infrastructure.Rendering;

/// <summary>The split render's row lock (in the caller's transaction) and the join as a Hangfire job.</summary>
public sealed class SegmentCoordination(Persistence.AppDbContext db, IBackgroundJobClient jobs) : ISegmentCoordination
{
    public async Task LockAsync(RenderId renderId, CancellationToken cancellationToken)
        => await db.Database.ExecuteSqlAsync(RenderQueueSql.LockRender(renderId.Value), cancellationToken);

    public void QueueJoin(RenderId renderId)
    {
        var value = renderId.Value;
        jobs.Enqueue<JoinSegmentsJob>(job => job.RunAsync(value, CancellationToken.None));
    }
}

/// <summary>
/// Joins a split render whose segments have all succeeded: its sound made once, the segments' pictures concatenated
/// without re-encoding, verified, measured and stored like any output, then recorded (<see cref="FinishJoinCommand"/>).
/// A join that fails as the engine reports it fails the render; anything else is retried by Hangfire.
/// </summary>
public sealed class JoinSegmentsJob(IServiceScopeFactory scopes, ISegmentJoiner joiner, IObjectStorage storage, ISender sender, ILogger<JoinSegmentsJob> logger)
{
    // No DisableConcurrentExecution: it would lock the method, one join at a time across the cluster. A join run twice
    // records once (FinishJoinCommand locks the render; the second finds it succeeded and deletes its own output).
    [AutomaticRetry(Attempts = 3)]
    public async Task RunAsync(Guid renderId, CancellationToken cancellationToken)
    {
        var id = new RenderId(renderId);
        Render? parent;
        List<Render> segments;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Persistence.AppDbContext>();
            parent = await db.Renders.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, cancellationToken);
            segments = await db.Renders.AsNoTracking().Where(r => r.ParentId == id).OrderBy(r => r.SegmentIndex).ToListAsync(cancellationToken);
        }
        if (parent is null || parent.Status != RenderStatus.Rendering || parent.Segments is not { } count || segments.Count != count
            || segments.Any(s => s.Status != RenderStatus.Succeeded || s.Output is null || s.OutputExpiredAt is not null))
        {
            return; // ended meanwhile, or not every segment is there (a later segment's end queues the join again)
        }
        var claimed = ClaimedRender.From(parent);
        var files = await RenderAssets.ResolveAsync(scopes, storage, claimed);
        var start = parent.Settings.TimelineStart;
        var parts = new List<SegmentFile>();
        foreach (var s in segments)
        {
            parts.Add(new SegmentFile(await storage.LocalPathAsync(s.Output!.StorageKey, cancellationToken), s.Settings.Range!.Start - start, s.Output.Qc));
        }
        try
        {
            var output = await joiner.JoinAsync(new RenderJob(claimed.Composition, claimed.Output, files, claimed.Watermark), parts, cancellationToken);
            await sender.Send(new FinishJoinCommand(id, output), cancellationToken);
        }
        catch (RenderFailedException ex)
        {
            logger.LogWarning("Joining the segments of {RenderId} failed: {Code} {Diagnostics}", id, ex.Code, ex.Diagnostics);
            await sender.Send(new FinishJoinCommand(id, null, ex.Code, ex.Message), cancellationToken);
        }
    }
}
