using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using RenderOwl.Api.Auth;
using RenderOwl.Application.Common;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Pagination;
using RenderOwl.Application.Identity;
using RenderOwl.Application.Identity.Accounts;
using RenderOwl.Application.Operations;
using RenderOwl.Domain.Common;
using RenderOwl.Domain.Identity;

namespace RenderOwl.Api.Controllers;

/// <summary>Operator endpoints: admin accounts only (403 for users, 401 without credentials).</summary>
[Route("internal")]
[Authorize(Policy = Policies.Admin)]
public sealed class InternalController : ApiControllerBase
{
    public sealed record UpdateAccountRequest(Optional<Tier> Tier, Optional<Role> Role);

    public sealed record ClearCacheRequest(string? Tag);

    /// <summary>Change an account's tier or role; applies to the next request of its API keys and sessions.</summary>
    [HttpPatch("accounts/{account_id}")]
    [ProducesResponseType<UserResponse>(StatusCodes.Status200OK)]
    public async Task<UserResponse> UpdateAccount([FromRoute(Name = "account_id")] UserId id, UpdateAccountRequest request, CancellationToken ct)
        => await Sender.Send(new UpdateAccountCommand(id, request.Tier, request.Role), ct);

    /// <summary>Requests refused by a rate limit, newest first.</summary>
    [HttpGet("rate-limits/violations")]
    [ProducesResponseType<Page<RateLimitViolationResponse>>(StatusCodes.Status200OK)]
    public async Task<Page<RateLimitViolationResponse>> Violations(
        [FromQuery(Name = "page_size")] int? pageSize, [FromQuery] int? page, [FromQuery] string? cursor, [FromQuery] string? principal, CancellationToken ct)
        => await Sender.Send(new ListRateLimitViolationsQuery(PageOf(pageSize, page, cursor), principal), ct);

    /// <summary>This instance's cache figures: hits and misses overall, per level and per policy.</summary>
    [HttpGet("cache/stats")]
    [ProducesResponseType<CacheStats>(StatusCodes.Status200OK)]
    public async Task<CacheStats> CacheStats(CancellationToken ct) => await Sender.Send(new GetCacheStatsQuery(), ct);

    /// <summary>Empty the cache on every instance (memory and Redis), or with <c>{"tag"}</c> drop that tag's entries.</summary>
    [HttpPost("cache/clear")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    public async Task<IActionResult> ClearCache([FromBody(EmptyBodyBehavior = Microsoft.AspNetCore.Mvc.ModelBinding.EmptyBodyBehavior.Allow)] ClearCacheRequest? request, CancellationToken ct)
    {
        await Sender.Send(new ClearCacheCommand(request?.Tag), ct);
        return NoContent();
    }

    /// <summary>Zero this instance's cache figures.</summary>
    [HttpPost("cache/reset-stats")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    public async Task<IActionResult> ResetCacheStats(CancellationToken ct)
    {
        await Sender.Send(new ResetCacheStatsCommand(), ct);
        return NoContent();
    }
}
