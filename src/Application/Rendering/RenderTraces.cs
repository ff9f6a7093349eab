using Microsoft.EntityFrameworkCore;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Domain.Common;

namespace RenderOwl.Application.Rendering;

public sealed class RenderTraces(IAppDbContext db) : IRenderTraces
{
    public async Task<string?> TraceParentAsync(RenderId render, CancellationToken cancellationToken)
        => await db.Renders.AsNoTracking().Where(r => r.Id == render).Select(r => r.TraceParent).FirstOrDefaultAsync(cancellationToken);
}
