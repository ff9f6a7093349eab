using Mediator;
using Microsoft.EntityFrameworkCore;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Errors;
using RenderOwl.Domain.Common;

namespace RenderOwl.Application.Identity.ApiKeys;

public sealed record RevokeApiKeyCommand(ApiKeyId Id) : ITransactionalCommand<Unit>;

public sealed class RevokeApiKeyHandler(IAppDbContext db, ICurrentUser current, IApiKeyService keys, TimeProvider clock)
    : ICommandHandler<RevokeApiKeyCommand, Unit>
{
    public async ValueTask<Unit> Handle(RevokeApiKeyCommand command, CancellationToken cancellationToken)
    {
        var owner = current.Id;
        var key = await db.ApiKeys.FirstOrDefaultAsync(k => k.Id == command.Id && k.UserId == owner && k.RevokedAt == null, cancellationToken)
            ?? throw new NotFoundException("API key");
        key.Revoke(clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        // After the row says revoked; a lookup racing in between finds the revoked row and caches nothing.
        await keys.InvalidateAsync([key.KeyHash], cancellationToken);
        return Unit.Value;
    }
}
