using Mediator;
using Microsoft.EntityFrameworkCore;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Errors;
using RenderOwl.Domain.Common;
using RenderOwl.Domain.Rendering;

namespace RenderOwl.Application.Rendering;

public sealed record CancelRenderCommand(RenderId Id) : ITransactionalCommand<RenderResponse>, IRetriesOnConcurrentChange
{
    public bool RetryOnConcurrentChange => true; // a progress beat of the worker moves the row; the cancel still applies
}

public sealed class CancelRenderHandler(IAppDbContext db, ICurrentUser current, RenderCompletion completion, IRenderSignals signals, SegmentOutcomes segments,
    TimeProvider clock)
    : ICommandHandler<CancelRenderCommand, RenderResponse>
{
    public async ValueTask<RenderResponse> Handle(CancelRenderCommand command, CancellationToken cancellationToken)
    {
        var owner = current.Id;
        var render = await db.Renders.FirstOrDefaultAsync(r => r.Id == command.Id && r.OwnerId == owner && r.ParentId == null, cancellationToken)
            ?? throw new NotFoundException("render");
        if (render.IsFinished)
        {
            throw new ConflictException(ErrorCatalog.RenderFinished, $"The render already {render.Status.ToString().ToLowerInvariant()}.");
        }
        var now = clock.GetUtcNow();
        if (render.Segments is not null)
        {
            // A split render: no worker holds it; it is canceled now, and every segment is stopped.
            render.RequestCancel(now);
            render.ConfirmCanceled(now);
            await completion.RecordFinishedAsync(render, now, "canceled while rendering in segments", cancellationToken);
            await segments.StopSegmentsAsync(render.Id, null, now, cancellationToken);
        }
        else if (render.RequestCancel(now))
        {
            await completion.RecordFinishedAsync(render, now, "canceled while queued", cancellationToken);
        }
        else
        {
            db.RenderEvents.Add(RenderEvent.For(render, now, "cancel requested"));
            // The worker holding it listens on this channel and stops ffmpeg; delivered at commit.
            await signals.CancelRequestedAsync(render.Id, cancellationToken);
        }
        await db.SaveChangesAsync(cancellationToken);
        return RenderResponse.From(render);
    }
}
