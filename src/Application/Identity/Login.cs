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

/// <summary>
/// The Hangfire dashboard's sign-in (a browser form, not the API): the same credential check and throttle as the API's
/// login; only an admin is let in (403 <c>forbidden</c> for anyone else). No session or token is issued: the API layer
/// keeps the answer in a cookie valid for the dashboard's path only.
/// </summary>
public sealed record DashboardSignInCommand(string Email, string Password) : ITransactionalCommand<DashboardOperator>;

public sealed record DashboardOperator(Domain.Common.UserId Id, string Email, string Role);

public sealed class DashboardSignInHandler(IAppDbContext db, Credentials credentials) : ICommandHandler<DashboardSignInCommand, DashboardOperator>
{
    public async ValueTask<DashboardOperator> Handle(DashboardSignInCommand command, CancellationToken cancellationToken)
    {
        var user = await credentials.VerifyAsync(command.Email ?? "", command.Password ?? "", cancellationToken);
        await db.SaveChangesAsync(cancellationToken); // a rehashed password
        if (user.Role != Role.Admin)
        {
            throw new ForbiddenException("Only an administrator may use the jobs dashboard.");
        }
        return new DashboardOperator(user.Id, user.Email, "admin");
    }
}

/// <summary>Whether a dashboard session's account may still use the dashboard: it exists, is not being deleted and is an admin.</summary>
public sealed record IsDashboardOperatorQuery(Domain.Common.UserId Id) : IQuery<bool>;

public sealed class IsDashboardOperatorHandler(IAppDbContext db) : IQueryHandler<IsDashboardOperatorQuery, bool>
{
    public async ValueTask<bool> Handle(IsDashboardOperatorQuery query, CancellationToken cancellationToken)
        => await db.Users.AsNoTracking().AnyAsync(u => u.Id == query.Id && u.DeletionRequestedAt == null && u.Role == Role.Admin, cancellationToken);
}
