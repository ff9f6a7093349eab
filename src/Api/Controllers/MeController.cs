using Microsoft.AspNetCore.Mvc;
using RenderOwl.Application.Identity;

namespace RenderOwl.Api.Controllers;

[Route("v1/me")]
public sealed class MeController : ApiControllerBase
{
    [HttpGet]
    [ProducesResponseType<MeResponse>(StatusCodes.Status200OK)]
    public async Task<MeResponse> Get(CancellationToken ct) => await Sender.Send(new GetMeQuery(), ct);
}
