using Mediator;
using Microsoft.EntityFrameworkCore;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Errors;
using RenderOwl.Domain.Common;

namespace RenderOwl.Application.Identity.ApiKeys;

public sealed record RevokeApiKeyCommand(ApiKeyId Id) : ITransactionalCommand<Unit>;

public sealed class RevokeApiKeyHandler(IAppDbContext db, ICurrentUser current, IApiKeyService keys, AfterCommit afterCommit, TimeProvider clock)
    : ICommandHandler<RevokeApiKeyCommand, Unit>
{
    public async ValueTask<Unit> Handle(RevokeApiKeyCommand command, CancellationToken cancellationToken)
    {
        var owner = current.Id;
        var key = await db.ApiKeys.FirstOrDefaultAsync(k => k.Id == command.Id && k.UserId == owner && k.RevokedAt == null, cancellationToken)
            ?? throw new NotFoundException("API key");
        key.Revoke(clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        // After the commit: a lookup racing before it still reads the active row and may cache it; the
        // invalidation that follows the commit removes that entry, and later lookups read the revoked row.
        var hash = key.KeyHash;
        await afterCommit.RunAsync("drop the revoked key from the cache", ct => keys.InvalidateAsync([hash], ct), cancellationToken);
        return Unit.Value;
    }
}
