using Mediator;
using Microsoft.EntityFrameworkCore;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Errors;
using RenderOwl.Domain.Common;
using RenderOwl.Domain.Rendering;

namespace RenderOwl.Application.Rendering;

public sealed record GetRenderQuery(RenderId Id) : IQuery<RenderResponse>;

/// <summary>From the cache (<see cref="RenderReads"/>); only a queued render's reason to wait is worked out live (it moves with the account's other renders).</summary>
public sealed class GetRenderHandler(RenderReads renders, IReadDbContext db, ICurrentUser current, TimeProvider clock) : IQueryHandler<GetRenderQuery, RenderResponse>
{
    public async ValueTask<RenderResponse> Handle(GetRenderQuery query, CancellationToken cancellationToken)
    {
        var owner = current.Id;
        var render = await renders.FindAsync(query.Id, cancellationToken) is { } found && found.OwnerId == owner
            ? found.Value
            : throw new NotFoundException("render");
        var response = render.Response;
        if (response.Status != RenderStatus.Queued)
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
