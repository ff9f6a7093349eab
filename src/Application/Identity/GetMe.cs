using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Errors;
using RenderOwl.Application.Common.Tiers;
using RenderOwl.Domain.Common;
using RenderOwl.Domain.Identity;

namespace RenderOwl.Application.Identity;

public sealed record MeResponse(
    UserId Id, string Email, string Name, Tier Tier, Role Role, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt,
    ApiKeyMode Mode, ApiKeyId? ApiKeyId, TierLimits Limits)
{
    /// <summary>Usage against the limits, as of this request (null while rate limiting is off).</summary>
    public UsageResponse? Usage { get; init; }
}

/// <summary>The request budget of the principal that made this request (its API key, or the account's sessions).</summary>
public sealed record UsageResponse(int RequestsBurst, int RequestsRemaining, DateTimeOffset RequestsFullAt);

public sealed record GetMeQuery : IQuery<MeResponse>;

public sealed class GetMeHandler(IAppDbContext db, ICurrentUser current, IOptions<TierOptions> tiers) : IQueryHandler<GetMeQuery, MeResponse>
{
    public async ValueTask<MeResponse> Handle(GetMeQuery query, CancellationToken cancellationToken)
    {
        var id = current.Id;
        var user = await db.Users.AsNoTracking().Where(u => u.Id == id).FirstOrDefaultAsync(cancellationToken)
            ?? throw new NotFoundException("account");
        return new MeResponse(user.Id, user.Email, user.Name, user.Tier, user.Role, user.CreatedAt, user.UpdatedAt,
            current.Mode, current.ApiKeyId, tiers.Value.For(user.Tier));
    }
}
