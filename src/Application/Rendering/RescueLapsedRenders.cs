using Mediator;
using Microsoft.EntityFrameworkCore;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Domain.Rendering;

namespace RenderOwl.Application.Rendering;

/// <summary>
/// Renders whose lease lapsed — their worker stopped heartbeating, i.e. died — go back to the queue (the lost
/// attempt counts), or fail with <c>worker_lost</c> after the last attempt. A render whose worker is alive is
/// never touched: its lease is renewed long before it lapses.
/// </summary>
public sealed record RescueLapsedRendersCommand : ITransactionalCommand<int>;

public sealed class RescueLapsedRendersHandler(IAppDbContext db, RenderCompletion completion, TimeProvider clock) : ICommandHandler<RescueLapsedRendersCommand, int>
{
    public async ValueTask<int> Handle(RescueLapsedRendersCommand command, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var lapsed = await db.Renders.Where(r => r.Status == RenderStatus.Rendering && r.LeaseExpiresAt < now).OrderBy(r => r.LeaseExpiresAt).Take(100).ToListAsync(cancellationToken);
        foreach (var render in lapsed)
        {
            if (render.Attempts < render.MaxAttempts)
            {
                render.RequeueAfterLostLease(now);
                db.RenderEvents.Add(RenderEvent.For(render, now, $"worker lost during attempt {render.Attempts}; requeued"));
            }
            else
            {
                render.Fail("worker_lost", "The worker running the last attempt stopped responding.", now);
                await completion.RecordFinishedAsync(render, now, null, cancellationToken);
            }
        }
        await db.SaveChangesAsync(cancellationToken); // xmin: a rescue racing another rescue fails instead of doubling
        return lapsed.Count;
    }
}
