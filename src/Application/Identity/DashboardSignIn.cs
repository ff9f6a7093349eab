using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Errors;
using RenderOwl.Domain.Common;
using RenderOwl.Domain.Identity;

namespace RenderOwl.Application.Identity;

/// <summary>Who may use the jobs dashboard (configuration section <c>Hangfire</c>).</summary>
public sealed class DashboardAccessOptions
{
    /// <summary>
    /// A role whose accounts may look at the dashboard but not trigger, requeue or delete jobs: <c>operator</c> (admins keep
    /// full access), <c>admin</c> (nobody may change jobs from the dashboard) or empty (the default: admins only, full access).
    /// </summary>
    public string? ReadOnlyRole { get; set; }

    /// <summary>The dashboard an account of <paramref name="role"/> gets.</summary>
    public DashboardAccess For(Role role)
    {
        var readOnly = ReadOnlyRoleValue();
        if (readOnly == role)
        {
            return DashboardAccess.ReadOnly;
        }
        return role == Role.Admin ? DashboardAccess.Full : DashboardAccess.None;
    }

    /// <summary>The configured read-only role, or null when none is; a value that is not <c>operator</c> or <c>admin</c> is refused (at start-up).</summary>
    public Role? ReadOnlyRoleValue() => ReadOnlyRole?.Trim().ToLowerInvariant() switch
    {
        null or "" => null,
        "operator" => Role.Operator,
        "admin" => Role.Admin,
        var other => throw new InvalidOperationException($"Hangfire:ReadOnlyRole must be 'operator', 'admin' or empty, not '{other}'."),
    };
}

public enum DashboardAccess
{
    None,
    Full,
    ReadOnly,
}

/// <summary>
/// The Hangfire dashboard's sign-in (a browser form, not the API): the same credential check and throttle as the API's
/// login; an admin, or an account of the read-only role, is let in (403 <c>forbidden</c> for anyone else). No session or
/// token is issued: the API layer keeps the answer in a cookie valid for the dashboard's path only.
/// </summary>
public sealed record DashboardSignInCommand(string Email, string Password) : ITransactionalCommand<DashboardOperator>;

public sealed record DashboardOperator(UserId Id, string Email, DashboardAccess Access);

public sealed class DashboardSignInHandler(IAppDbContext db, Credentials credentials, IOptions<DashboardAccessOptions> options)
    : ICommandHandler<DashboardSignInCommand, DashboardOperator>
{
    public async ValueTask<DashboardOperator> Handle(DashboardSignInCommand command, CancellationToken cancellationToken)
    {
        var user = await credentials.VerifyAsync(command.Email ?? "", command.Password ?? "", cancellationToken);
        await db.SaveChangesAsync(cancellationToken); // a rehashed password
        var access = options.Value.For(user.Role);
        if (access == DashboardAccess.None)
        {
            throw new ForbiddenException("Only an administrator may use the jobs dashboard.");
        }
        return new DashboardOperator(user.Id, user.Email, access);
    }
}

/// <summary>
/// The access a dashboard session's account has now: none when it no longer exists, is being deleted or lost its role
/// (the session is then ended), or the access its role gives.
/// </summary>
public sealed record DashboardAccessQuery(UserId Id) : IQuery<DashboardAccess>;

public sealed class DashboardAccessHandler(IAppDbContext db, IOptions<DashboardAccessOptions> options) : IQueryHandler<DashboardAccessQuery, DashboardAccess>
{
    public async ValueTask<DashboardAccess> Handle(DashboardAccessQuery query, CancellationToken cancellationToken)
    {
        var role = await db.Users.AsNoTracking()
            .Where(u => u.Id == query.Id && u.DeletionRequestedAt == null)
            .Select(u => (Role?)u.Role)
            .FirstOrDefaultAsync(cancellationToken);
        return role is { } r ? options.Value.For(r) : DashboardAccess.None;
    }
}
