using Mediator;
using Microsoft.EntityFrameworkCore;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Errors;
using RenderOwl.Domain.Common;

namespace RenderOwl.Application.Rendering.Sharing;

public sealed record RevokeShareLinksCommand(RenderId RenderId) : ICommand;

/// <summary>Every share link of the render stops working at once (its share epoch moves on); new ones can be made.</summary>
public sealed class RevokeShareLinksHandler(IAppDbContext db, ICurrentUser current) : ICommandHandler<RevokeShareLinksCommand>
{
    public async ValueTask<Unit> Handle(RevokeShareLinksCommand command, CancellationToken cancellationToken)
    {
        var owner = current.Id;
        var render = await db.Renders.FirstOrDefaultAsync(r => r.Id == command.RenderId && r.OwnerId == owner, cancellationToken)
            ?? throw new NotFoundException("render");
        render.RevokeShareLinks();
        await db.SaveChangesAsync(cancellationToken);
        return Unit.Value;
    }
}
