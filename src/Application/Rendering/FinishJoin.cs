using Mediator;
using Microsoft.EntityFrameworkCore;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Domain.Common;
using RenderOwl.Domain.Rendering;

namespace RenderOwl.Application.Rendering;

/// <summary>
/// Records a split render's join: its output (or why the join failed), its completion (webhooks, e-mail), and the end of
/// its segments' files, which are deleted after the commit. A render that ended meanwhile (canceled) keeps nothing of it.
/// </summary>
public sealed record FinishJoinCommand(RenderId RenderId, RenderOutput? Output, string? FailureCode = null, string? FailureMessage = null) : ITransactionalCommand<bool>;

public sealed class FinishJoinHandler(IAppDbContext db, RenderCompletion completion, ISegmentCoordination coordination, IObjectStorage storage, AfterCommit afterCommit,
    TimeProvider clock) : ICommandHandler<FinishJoinCommand, bool>
{
    public async ValueTask<bool> Handle(FinishJoinCommand command, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await coordination.LockAsync(command.RenderId, cancellationToken);
        var render = await db.Renders.FirstOrDefaultAsync(r => r.Id == command.RenderId, cancellationToken);
        var segments = await db.Renders.Where(r => r.ParentId == command.RenderId).ToListAsync(cancellationToken);
        var files = segments.Where(s => s.Output is not null && s.OutputExpiredAt is null).SelectMany(s => s.Output!.Keys()).ToList();
        foreach (var segment in segments.Where(s => s.Output is not null && s.OutputExpiredAt is null))
        {
            segment.DropSegmentFile(now);
        }
        var recorded = render is { Status: RenderStatus.Rendering, Segments: not null }; // else canceled, or deleted with its account
        if (recorded && command.Output is { } output)
        {
            render!.Succeed(output.ToInfo(render.Settings.Format), now);
            await completion.RecordFinishedAsync(render, now, $"joined from {segments.Count} segments", cancellationToken);
        }
        else if (recorded)
        {
            render!.Fail(command.FailureCode ?? "join_failed", command.FailureMessage ?? "The segments could not be joined.", now);
            await completion.RecordFinishedAsync(render, now, null, cancellationToken);
        }
        else if (command.Output is { } orphan)
        {
            files.AddRange(orphan.Keys);
        }
        await db.SaveChangesAsync(cancellationToken);
        await afterCommit.RunAsync("delete the joined segments' files", async ct =>
        {
            foreach (var key in files)
            {
                await storage.DeleteAsync(key, ct);
            }
        }, cancellationToken);
        return recorded;
    }
}
