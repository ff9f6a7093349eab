using Microsoft.AspNetCore.Mvc;
using RenderOwl.Application.Identity;

namespace RenderOwl.Api.Controllers;

[Route("v1/me")]
public sealed class MeController : ApiControllerBase
{
    [HttpGet]
    [ProducesResponseType<UserResponse>(StatusCodes.Status200OK)]
    public async Task<UserResponse> Get(CancellationToken ct) => await Sender.Send(new GetMeQuery(), ct);
}
