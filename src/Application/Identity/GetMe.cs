using Mediator;
using Microsoft.EntityFrameworkCore;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Errors;

namespace RenderOwl.Application.Identity;

public sealed record GetMeQuery : IQuery<UserResponse>;

public sealed class GetMeHandler(IAppDbContext db, ICurrentUser current) : IQueryHandler<GetMeQuery, UserResponse>
{
    public async ValueTask<UserResponse> Handle(GetMeQuery query, CancellationToken cancellationToken)
    {
        var id = current.Id;
        var user = await db.Users.AsNoTracking().Where(u => u.Id == id).FirstOrDefaultAsync(cancellationToken)
            ?? throw new NotFoundException("account");
        return UserResponse.From(user);
    }
}
