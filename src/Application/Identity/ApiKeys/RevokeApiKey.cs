using Mediator;
using Microsoft.EntityFrameworkCore;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Errors;
using RenderOwl.Domain.Common;

namespace RenderOwl.Application.Identity.ApiKeys;

public sealed record RevokeApiKeyCommand(ApiKeyId Id) : ITransactionalCommand<Unit>;

/// <summary>Revokes a key: the save drops its cached lookup after the commit, on every instance (CacheInvalidation), so the next request with it is refused.</summary>
public sealed class RevokeApiKeyHandler(IAppDbContext db, ICurrentUser current, TimeProvider clock)
    : ICommandHandler<RevokeApiKeyCommand, Unit>
{
    public async ValueTask<Unit> Handle(RevokeApiKeyCommand command, CancellationToken cancellationToken)
    {
        var owner = current.Id;
        var key = await db.ApiKeys.FirstOrDefaultAsync(k => k.Id == command.Id && k.UserId == owner && k.RevokedAt == null, cancellationToken)
            ?? throw new NotFoundException("API key");
        key.Revoke(clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        return Unit.Value;
    }
}
