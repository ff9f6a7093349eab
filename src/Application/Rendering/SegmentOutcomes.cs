using Microsoft.EntityFrameworkCore;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Domain.Rendering;

namespace RenderOwl.Application.Rendering;

/// <summary>
/// The render queue's side of segment-parallel rendering, in the recording transaction: a claimed render split into
/// segments queued like any render (same account, priority and place in the queue, so the same fairness and caps); a
/// segment's end moving its render on — progress as the sum of its segments', the join queued (after commit) once every
/// segment has succeeded, the render failed (and its other segments stopped) once one has failed for good.
/// </summary>
public sealed class SegmentOutcomes(IAppDbContext db, RenderCompletion completion, IRenderSignals signals, ISegmentCoordination coordination, AfterCommit afterCommit,
    IObjectStorage storage)
{
    public async Task SplitAsync(Render render, IReadOnlyList<TimeRange> segments, DateTimeOffset now, CancellationToken cancellationToken)
    {
        render.SplitInto(segments.Count, now);
        db.RenderEvents.Add(RenderEvent.For(render, now, $"split into {segments.Count} segments"));
        var children = segments.Select((range, i) => Render.SegmentOf(render, i, range, now)).ToList();
        db.Renders.AddRange(children);
        db.RenderEvents.AddRange(children.Select(c => RenderEvent.For(c, now, $"segment {c.SegmentIndex + 1} of {segments.Count}")));
        await signals.RenderQueuedAsync(cancellationToken); // delivered at commit
    }

    /// <summary>After a segment's state changed in this transaction: what it means for its render.</summary>
    public async Task SegmentEndedAsync(Render segment, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (segment.ParentId is not { } parentId || !segment.IsFinished)
        {
            return;
        }
        await coordination.LockAsync(parentId, cancellationToken);
        var parent = await db.Renders.FirstOrDefaultAsync(r => r.Id == parentId, cancellationToken);
        if (parent is not { Status: RenderStatus.Rendering, Segments: { } count })
        {
            // Canceled, failed, or deleted with its account already: what this segment made is of no use.
            await DropFilesAsync([segment], now, cancellationToken);
            return;
        }
        var siblings = await db.Renders.Where(r => r.ParentId == parentId && r.Id != segment.Id)
            .Select(r => new { r.Id, r.Status }).ToListAsync(cancellationToken);
        switch (segment.Status)
        {
            case RenderStatus.Succeeded:
                var done = siblings.Count(s => s.Status == RenderStatus.Succeeded) + 1;
                parent.ReportSegmentsProgress(done * 100 / count);
                if (done == count)
                {
                    await afterCommit.RunAsync("queue the join", _ =>
                    {
                        coordination.QueueJoin(parentId);
                        return Task.CompletedTask;
                    }, cancellationToken);
                }
                break;
            case RenderStatus.Failed:
                parent.Fail(segment.ErrorCode ?? "segment_failed", $"Segment {segment.SegmentIndex + 1} of {count} failed: {segment.ErrorMessage}", now);
                await completion.RecordFinishedAsync(parent, now, null, cancellationToken);
                await StopSegmentsAsync(parentId, segment.Id, now, cancellationToken);
                break;
        }
    }

    /// <summary>
    /// Every unfinished segment of a render stopped — queued ones at once, running ones asked (their workers confirm) —
    /// and the files of those that had succeeded deleted after the commit.
    /// </summary>
    public async Task StopSegmentsAsync(Domain.Common.RenderId parentId, Domain.Common.RenderId? except, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var succeeded = await db.Renders.Where(r => r.ParentId == parentId && r.Status == RenderStatus.Succeeded && r.OutputExpiredAt == null).ToListAsync(cancellationToken);
        await DropFilesAsync(succeeded, now, cancellationToken);
        var open = await db.Renders.Where(r => r.ParentId == parentId && (r.Status == RenderStatus.Queued || r.Status == RenderStatus.Rendering)).ToListAsync(cancellationToken);
        foreach (var other in open.Where(o => o.Id != except))
        {
            if (!other.RequestCancel(now))
            {
                await signals.CancelRequestedAsync(other.Id, cancellationToken);
            }
            else
            {
                db.RenderEvents.Add(RenderEvent.For(other, now, "its render ended"));
            }
        }
    }

    private async Task DropFilesAsync(IReadOnlyList<Render> segments, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var keys = segments.Where(s => s.Output is not null && s.OutputExpiredAt is null).SelectMany(s => s.Output!.Keys()).ToList();
        foreach (var segment in segments.Where(s => s.Output is not null))
        {
            segment.DropSegmentFile(now);
        }
        if (keys.Count > 0)
        {
            await afterCommit.RunAsync("delete a stopped render's segment files", async ct =>
            {
                foreach (var key in keys)
                {
                    await storage.DeleteAsync(key, ct);
                }
            }, cancellationToken);
        }
    }
}
