using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using RenderOwl.Application.Common.Abstractions;

namespace RenderOwl.Application.Identity;

/// <summary>Ends the session (refresh-token family) the token belongs to: its refresh and access tokens stop working. Unknown tokens are ignored: logout is idempotent.</summary>
public sealed record LogoutCommand(string RefreshToken) : ITransactionalCommand<Unit>;

public sealed class LogoutValidator : AbstractValidator<LogoutCommand>
{
    public LogoutValidator() => RuleFor(x => x.RefreshToken).NotEmpty().MaximumLength(200);
}

public sealed class LogoutHandler(IAppDbContext db, ITokenService tokens, AfterCommit afterCommit, ISessionRevocations revocations, TimeProvider clock) : ICommandHandler<LogoutCommand, Unit>
{
    public async ValueTask<Unit> Handle(LogoutCommand command, CancellationToken cancellationToken)
    {
        var hash = tokens.HashRefreshToken(command.RefreshToken);
        var familyId = await db.RefreshTokens.Where(t => t.TokenHash == hash).Select(t => (Guid?)t.FamilyId).FirstOrDefaultAsync(cancellationToken);
        if (familyId is { } family)
        {
            await Sessions.EndAsync(db, afterCommit, revocations, family, clock.GetUtcNow(), cancellationToken);
        }
        return Unit.Value;
    }
}
