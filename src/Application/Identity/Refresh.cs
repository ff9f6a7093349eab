using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using RenderOwl.Application.Common.Abstractions;

namespace RenderOwl.Application.Identity;

/// <summary>Null response: the token was refused (unknown, expired, revoked, or reused — reuse revokes the family).</summary>
public sealed record RefreshCommand(string RefreshToken) : ITransactionalCommand<AuthResponse?>;

public sealed class RefreshValidator : AbstractValidator<RefreshCommand>
{
    public RefreshValidator() => RuleFor(x => x.RefreshToken).NotEmpty().MaximumLength(200);
}

public sealed class RefreshHandler(IAppDbContext db, ITokenService tokens, AfterCommit afterCommit, ISessionRevocations revocations, TimeProvider clock)
    : ICommandHandler<RefreshCommand, AuthResponse?>
{
    public async ValueTask<AuthResponse?> Handle(RefreshCommand command, CancellationToken cancellationToken)
    {
        var hash = tokens.HashRefreshToken(command.RefreshToken);
        // Row lock: two concurrent refreshes with one token must not both succeed.
        var token = await db.RefreshTokens
            .FromSql($"SELECT * FROM identity.refresh_tokens WHERE token_hash = {hash} FOR UPDATE")
            .FirstOrDefaultAsync(cancellationToken);
        var now = clock.GetUtcNow();
        if (token is null)
        {
            return null;
        }
        if (token.WasRotated)
        {
            // A rotated token came back: someone holds a copy. End every session of this family.
            await Sessions.EndAsync(db, afterCommit, revocations, token.FamilyId, now, cancellationToken);
            return null;
        }
        if (!token.IsUsable(now))
        {
            return null;
        }
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == token.UserId, cancellationToken);
        if (user is null)
        {
            return null;
        }
        token.MarkRotated(now);
        var response = Sessions.Issue(db, tokens, user, token.FamilyId, now, await Sessions.AuthenticatedAtAsync(db, token.FamilyId, cancellationToken));
        await db.SaveChangesAsync(cancellationToken);
        return response;
    }
}
