using Mediator;
using Microsoft.EntityFrameworkCore;
using RenderOwl.Application.Common;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Errors;
using RenderOwl.Domain.Common;
using RenderOwl.Domain.Identity;

namespace RenderOwl.Application.Identity.Accounts;

/// <summary>Admin: change an account's tier or role. The cached account is dropped after the commit, so the next request of any of its sessions or keys has the new tier.</summary>
public sealed record UpdateAccountCommand(UserId Id, Optional<Tier> Tier, Optional<Role> Role) : ITransactionalCommand<UserResponse>;

public sealed class UpdateAccountHandler(IAppDbContext db, TimeProvider clock) : ICommandHandler<UpdateAccountCommand, UserResponse>
{
    public async ValueTask<UserResponse> Handle(UpdateAccountCommand command, CancellationToken cancellationToken)
    {
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == command.Id, cancellationToken) ?? throw new NotFoundException("account");
        var now = clock.GetUtcNow();
        if (command.Tier.IsSet)
        {
            user.ChangeTier(command.Tier.Value, now);
        }
        if (command.Role.IsSet)
        {
            user.ChangeRole(command.Role.Value, now);
        }
        await db.SaveChangesAsync(cancellationToken);
        return UserResponse.From(user);
    }
}

/// <summary>Operator command (<c>make admin EMAIL=…</c>): make an existing account an admin.</summary>
public sealed record PromoteToAdminCommand(string Email) : ITransactionalCommand<UserResponse>;

public sealed class PromoteToAdminHandler(IAppDbContext db, TimeProvider clock) : ICommandHandler<PromoteToAdminCommand, UserResponse>
{
    public async ValueTask<UserResponse> Handle(PromoteToAdminCommand command, CancellationToken cancellationToken)
    {
        var email = User.NormalizeEmail(command.Email);
        var user = await db.Users.FirstOrDefaultAsync(u => u.Email == email, cancellationToken)
            ?? throw new NotFoundException("account with that e-mail address");
        user.ChangeRole(Role.Admin, clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        return UserResponse.From(user);
    }
}
