using Mediator;
using Microsoft.Extensions.Options;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Errors;
using RenderOwl.Application.Common.Tiers;
using RenderOwl.Domain.Common;
using RenderOwl.Domain.Identity;

namespace RenderOwl.Application.Identity;

public sealed record MeResponse(
    UserId Id, string Email, string Name, Tier Tier, Role Role, bool EmailNotifications, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt,
    ApiKeyMode Mode, ApiKeyId? ApiKeyId, TierLimits Limits, UsageResponse Usage);

/// <summary>
/// Usage against the tier's limits, as of this request: renders submitted in the last hour (against
/// <c>renders_per_hour</c>, null = unlimited), running (against <c>concurrent_renders</c>) and queued; and the
/// request budget of the principal that made this request (its API key, or the account's sessions) — null
/// while rate limiting is off.
/// </summary>
public sealed record UsageResponse(int RendersLastHour, int? RendersPerHour, int RendersRunning, int ConcurrentRenders, int RendersQueued)
{
    public int? RequestsBurst { get; init; }
    public int? RequestsRemaining { get; init; }
    public DateTimeOffset? RequestsFullAt { get; init; }
}

public sealed record GetMeQuery : IQuery<MeResponse>;

public sealed class GetMeHandler(AccountReads accounts, ICurrentUser current, IOptions<TierOptions> tiers, IRenderUsage renders,
    IRequestBudget budget)
    : IQueryHandler<GetMeQuery, MeResponse>
{
    public async ValueTask<MeResponse> Handle(GetMeQuery query, CancellationToken cancellationToken)
    {
        var id = current.Id;
        var user = await accounts.FindAsync(id, cancellationToken) ?? throw new NotFoundException("account");
        var limits = tiers.Value.For(user.Tier);
        var used = await renders.ForAsync(user.Id, cancellationToken);
        return new MeResponse(user.Id, user.Email, user.Name, user.Tier, user.Role, user.EmailNotifications, user.CreatedAt, user.UpdatedAt,
            current.Mode, current.ApiKeyId, limits,
            new UsageResponse(used.SubmittedLastHour, limits.RendersPerHour, used.Running, limits.ConcurrentRenders, used.Queued)
            {
                RequestsBurst = budget.Current?.Burst,
                RequestsRemaining = budget.Current?.Remaining,
                RequestsFullAt = budget.Current?.FullAt,
            });
    }
}
