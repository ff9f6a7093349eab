using Mediator;
using Microsoft.EntityFrameworkCore;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Errors;
using RenderOwl.Domain.Common;

namespace RenderOwl.Application.Rendering;

public sealed record ListRenderEventsQuery(RenderId Id) : IQuery<IReadOnlyList<RenderEventResponse>>;

public sealed class ListRenderEventsHandler(IReadDbContext db, ICurrentUser current) : IQueryHandler<ListRenderEventsQuery, IReadOnlyList<RenderEventResponse>>
{
    public async ValueTask<IReadOnlyList<RenderEventResponse>> Handle(ListRenderEventsQuery query, CancellationToken cancellationToken)
    {
        var owner = current.Id;
        if (!await db.Renders.AnyAsync(r => r.Id == query.Id && r.OwnerId == owner, cancellationToken))
        {
            throw new NotFoundException("render");
        }
        return await db.RenderEvents.AsNoTracking().Where(e => e.RenderId == query.Id).OrderBy(e => e.Id)
            .Select(e => new RenderEventResponse(e.Status, e.Attempt, e.Code, e.Message, e.OccurredAt)).ToListAsync(cancellationToken);
    }
}
