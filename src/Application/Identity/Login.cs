using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Errors;
using RenderOwl.Domain.Identity;

namespace RenderOwl.Application.Identity;

public sealed record LoginCommand(string Email, string Password) : ITransactionalCommand<AuthResponse>;

public sealed class LoginValidator : AbstractValidator<LoginCommand>
{
    public LoginValidator()
    {
        RuleFor(x => x.Email).NotEmpty().MaximumLength(254);
        RuleFor(x => x.Password).NotEmpty().MaximumLength(128);
    }
}

public sealed class LoginHandler(IAppDbContext db, ITokenService tokens, Credentials credentials, TimeProvider clock)
    : ICommandHandler<LoginCommand, AuthResponse>
{
    public async ValueTask<AuthResponse> Handle(LoginCommand command, CancellationToken cancellationToken)
    {
        var user = await credentials.VerifyAsync(command.Email, command.Password, cancellationToken);
        var response = Sessions.Issue(db, tokens, user, familyId: null, clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        return response;
    }
}

/// <summary>
/// An e-mail and password checked, the one way (API login, dashboard sign-in): the failed-login throttle first (429), a
/// full hash verification even for an unknown address (timing tells nothing), the throttle fed or reset, the hash
/// upgraded when its parameters are old (saved by the caller). Throws 401 <c>invalid-credentials</c>.
/// </summary>
public sealed class Credentials(IAppDbContext db, IPasswordHasher hasher, ILoginThrottle throttle, IClientInfo client, IRateLimitViolations violations, TimeProvider clock)
{
    // A real hash (made once) verified when the e-mail is unknown, so both failures cost the same full PBKDF2 run
    // and response times do not tell which addresses have accounts.
    private static string? s_decoyHash;

    public async Task<User> VerifyAsync(string emailAddress, string password, CancellationToken cancellationToken)
    {
        var email = User.NormalizeEmail(emailAddress);
        var ip = client.IpAddress;
        if (await throttle.BlockedForAsync(email, ip, cancellationToken) is { } wait)
        {
            violations.Record("login:" + ip, "failed-logins", client.Method, client.Path, ip);
            throw new RateLimitedException("Too many failed logins for this e-mail address from your address. Wait before trying again.", wait);
        }
        var user = await db.Users.FirstOrDefaultAsync(u => u.Email == email, cancellationToken);
        var decoy = s_decoyHash ??= hasher.Hash(Guid.NewGuid().ToString("N"));
        var ok = hasher.Verify(user?.PasswordHash ?? decoy, password, out var needsRehash);
        if (user is null || !ok || user.IsBeingDeleted)
        {
            await throttle.RecordFailureAsync(email, ip, cancellationToken);
            throw new UnauthorizedException(ErrorCatalog.InvalidCredentials, "The e-mail address or password is wrong.");
        }
        await throttle.ResetAsync(email, ip, cancellationToken);
        if (needsRehash)
        {
            user.ChangePasswordHash(hasher.Hash(password), clock.GetUtcNow());
        }
        return user;
    }
}
