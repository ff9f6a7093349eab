using Microsoft.AspNetCore.Mvc;
using RenderOwl.Application.Identity;

namespace RenderOwl.Api.Controllers;

[Route("v1/me")]
public sealed class MeController : ApiControllerBase
{
    /// <summary>The account, its tier's limits, and its usage: renders this hour, running and queued, and the request budget left.</summary>
    [HttpGet]
    [ProducesResponseType<MeResponse>(StatusCodes.Status200OK)]
    public async Task<MeResponse> Get(CancellationToken ct) => await Sender.Send(new GetMeQuery(), ct);
}
