using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Errors;

namespace RenderOwl.Application.Identity;

/// <summary>A new token pair for a refresh token. Refused (401) when the token is unknown, expired, revoked or reused — reuse ends its whole family.</summary>
public sealed record RefreshCommand(string RefreshToken) : ITransactionalCommand<AuthResponse>;

public sealed class RefreshValidator : AbstractValidator<RefreshCommand>
{
    public RefreshValidator() => RuleFor(x => x.RefreshToken).NotEmpty().MaximumLength(200);
}

public sealed class RefreshHandler(IAppDbContext db, IRefreshTokenLocks locks, ITokenService tokens, AfterCommit afterCommit, ISessionRevocations revocations, TimeProvider clock)
    : ICommandHandler<RefreshCommand, AuthResponse>
{
    public async ValueTask<AuthResponse> Handle(RefreshCommand command, CancellationToken cancellationToken)
    {
        var token = await locks.LockAsync(tokens.HashRefreshToken(command.RefreshToken), cancellationToken);
        var now = clock.GetUtcNow();
        if (token is { WasRotated: true })
        {
            // A rotated token came back: someone holds a copy. End every session of this family — and keep that ending.
            await Sessions.EndAsync(db, afterCommit, revocations, token.FamilyId, now, cancellationToken);
            throw new RefuseAfterCommitException(Refused());
        }
        var user = token is not null && token.IsUsable(now) ? await db.Users.FirstOrDefaultAsync(u => u.Id == token.UserId, cancellationToken) : null;
        if (token is null || user is null || user.IsBeingDeleted)
        {
            throw Refused();
        }
        token.MarkRotated(now);
        var response = Sessions.Issue(db, tokens, user, token.FamilyId, now, await Sessions.AuthenticatedAtAsync(db, token.FamilyId, cancellationToken));
        await db.SaveChangesAsync(cancellationToken);
        return response;
    }

    private static UnauthorizedException Refused()
        => new(ErrorCatalog.InvalidRefreshToken, "The refresh token is unknown, expired, revoked or already used.");
}
