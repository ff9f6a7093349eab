using Microsoft.EntityFrameworkCore;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Domain.Common;

namespace RenderOwl.Application.Rendering;

public sealed class RenderOwnership(IReadDbContext db) : IRenderOwnership
{
    public Task<bool> IsOwnedAsync(RenderId renderId, UserId owner, CancellationToken cancellationToken)
        => db.Renders.AnyAsync(r => r.Id == renderId && r.OwnerId == owner, cancellationToken);
}
