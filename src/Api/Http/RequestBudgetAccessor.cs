using RenderOwl.Application.Common.Abstractions;

namespace RenderOwl.Api.Http;

/// <summary>The rate-limit decision <see cref="RateLimitMiddleware"/> took for the current request.</summary>
public sealed class RequestBudgetAccessor(IHttpContextAccessor accessor, TimeProvider clock) : IRequestBudget
{
    public RequestBudget? Current => accessor.HttpContext is { } http && RateLimitMiddleware.DecisionOf(http) is { } d
        ? new RequestBudget(d.Policy.Capacity, d.Decision.Remaining, clock.GetUtcNow() + d.Decision.ResetAfter)
        : null;
}
