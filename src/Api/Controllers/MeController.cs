using Microsoft.AspNetCore.Mvc;
using RenderOwl.Api.Http;
using RenderOwl.Application.Identity;

namespace RenderOwl.Api.Controllers;

[Route("v1/me")]
public sealed class MeController(TimeProvider clock) : ApiControllerBase
{
    /// <summary>The account, its tier's limits, and its usage: renders this hour, running and queued, and the request budget left.</summary>
    [HttpGet]
    [ProducesResponseType<MeResponse>(StatusCodes.Status200OK)]
    public async Task<MeResponse> Get(CancellationToken ct)
    {
        var me = await Sender.Send(new GetMeQuery(), ct);
        return RateLimitMiddleware.DecisionOf(HttpContext) is { } d
            ? me with { Usage = me.Usage with { RequestsBurst = d.Policy.Capacity, RequestsRemaining = d.Decision.Remaining, RequestsFullAt = clock.GetUtcNow() + d.Decision.ResetAfter } }
            : me;
    }
}
