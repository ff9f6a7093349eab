using Microsoft.EntityFrameworkCore;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Domain.Common;

namespace RenderOwl.Application.Identity;

public sealed class AccountContacts(IAppDbContext db) : IAccountContacts
{
    public Task<AccountContact?> FindAsync(UserId account, CancellationToken cancellationToken)
        => db.Users.AsNoTracking().Where(u => u.Id == account).Select(u => new AccountContact(u.Email, u.Name, u.EmailNotifications)).FirstOrDefaultAsync(cancellationToken);
}
