using Mediator;
using Microsoft.EntityFrameworkCore;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Errors;
using RenderOwl.Domain.Common;
using RenderOwl.Domain.Rendering;

namespace RenderOwl.Application.Rendering;

public sealed record GetRenderQuery(RenderId Id) : IQuery<RenderResponse>;

public sealed class GetRenderHandler(IReadDbContext db, ICurrentUser current, TimeProvider clock) : IQueryHandler<GetRenderQuery, RenderResponse>
{
    public async ValueTask<RenderResponse> Handle(GetRenderQuery query, CancellationToken cancellationToken)
    {
        var owner = current.Id;
        var render = await db.Renders.AsNoTracking().FirstOrDefaultAsync(r => r.Id == query.Id && r.OwnerId == owner, cancellationToken)
            ?? throw new NotFoundException("render");
        var response = RenderResponse.From(render);
        if (render.Status != RenderStatus.Queued)
        {
            return response;
        }
        if (render.NextAttemptAt > clock.GetUtcNow())
        {
            return response with { QueueReason = "retry_backoff" };
        }
        var running = await db.Renders.CountAsync(r => r.OwnerId == owner && r.Status == RenderStatus.Rendering, cancellationToken);
        return response with { QueueReason = running >= render.ConcurrencyCap ? "concurrency_limit" : "queue" };
    }
}
