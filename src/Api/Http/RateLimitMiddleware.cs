using System.Globalization;
using Microsoft.Extensions.Options;
using RenderOwl.Api.Auth;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Errors;
using RenderOwl.Application.Common.RateLimiting;
using RenderOwl.Application.Common.Tiers;
using RenderOwl.Domain.Identity;

namespace RenderOwl.Api.Http;

/// <summary>
/// Per-principal token buckets (each API key, else the user, else the client IP), sized by tier. Every limited
/// response carries RateLimit-Policy / RateLimit (IETF httpapi draft) and X-RateLimit-*; over the limit → 429
/// <c>rate-limited</c> with Retry-After, and the violation is queued for the database.
/// </summary>
public sealed class RateLimitMiddleware(
    RequestDelegate next, IRequestRateLimiter limiter, IRateLimitViolations violations,
    IOptions<RateLimitOptions> options, IOptions<TierOptions> tiers, TimeProvider clock)
{
    private static readonly object ItemKey = new();

    /// <summary>This request's rate-limit decision, for responses that report usage.</summary>
    public static (BucketPolicy Policy, RateLimitDecision Decision)? DecisionOf(HttpContext http)
        => http.Items.TryGetValue(ItemKey, out var value) && value is (BucketPolicy p, RateLimitDecision d) ? (p, d) : null;

    private readonly RateLimitOptions _options = options.Value;

    public async Task InvokeAsync(HttpContext http)
    {
        if (!_options.Enabled || HttpMethods.IsOptions(http.Request.Method) || OperationalRoutes.IsRateLimitExempt(http.Request.Path))
        {
            await next(http);
            return;
        }
        var (principal, policy) = Resolve(http);
        var decision = await limiter.AcquireAsync(principal, policy);
        http.Items[ItemKey] = (policy, decision);
        var reset = (int)Math.Ceiling(decision.ResetAfter.TotalSeconds);
        var h = http.Response.Headers;
        h["RateLimit-Policy"] = $"\"{policy.Name}\";q={policy.Capacity};w={policy.WindowSeconds}";
        h["RateLimit"] = $"\"{policy.Name}\";r={decision.Remaining};t={reset}";
        h["X-RateLimit-Limit"] = policy.Capacity.ToString(CultureInfo.InvariantCulture);
        h["X-RateLimit-Remaining"] = decision.Remaining.ToString(CultureInfo.InvariantCulture);
        h["X-RateLimit-Reset"] = (clock.GetUtcNow() + decision.ResetAfter).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        if (decision.Allowed)
        {
            await next(http);
            return;
        }
        violations.Record(principal, policy.Name, http.Request.Method, http.Request.Path.Value ?? "/", ClientInfo.Address(http));
        var retryAfter = Math.Max(1, (int)Math.Ceiling(decision.RetryAfter.TotalSeconds));
        h.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
        await Problems.WriteAsync(http, ErrorCatalog.RateLimited,
            $"The '{policy.Name}' limit ({policy.Capacity} requests, refilled at {policy.RefillPerSecond * 60:0.##}/min) is used up. Retry after {retryAfter} s.");
    }

    private (string Principal, BucketPolicy Policy) Resolve(HttpContext http)
    {
        var user = http.User;
        if (user.Identity?.IsAuthenticated == true)
        {
            var tier = Enum.TryParse<Tier>(user.FindFirst("tier")?.Value, ignoreCase: true, out var t) ? t : Tier.Free;
            var limits = tiers.Value.For(tier);
            var policy = BucketPolicy.From(tier.ToString().ToLowerInvariant(), limits.RequestsPerMinute, limits.Burst);
            var key = user.FindFirst("key_id")?.Value;
            return (key ?? user.FindFirst("sub")?.Value ?? "unknown", policy);
        }
        return ("ip:" + ClientInfo.Address(http), BucketPolicy.From("anonymous", _options.Anonymous.RequestsPerMinute, _options.Anonymous.Burst));
    }
}
