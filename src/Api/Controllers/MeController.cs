using Microsoft.AspNetCore.Mvc;
using RenderOwl.Application.Common;
using RenderOwl.Application.Identity;

namespace RenderOwl.Api.Controllers;

[Route("v1/me")]
public sealed class MeController : ApiControllerBase
{
    /// <summary>The account, its tier's limits, and its usage: renders this hour, running and queued, and the request budget left.</summary>
    [HttpGet]
    [ProducesResponseType<MeResponse>(StatusCodes.Status200OK)]
    public async Task<MeResponse> Get(CancellationToken ct) => await Sender.Send(new GetMeQuery(), ct);

    public sealed record UpdateMeRequest(Optional<string?> Name, Optional<bool?> EmailNotifications);

    /// <summary>Change the account's name, or opt in to (or out of) an e-mail for every finished render. Answers as GET.</summary>
    [HttpPatch]
    [ProducesResponseType<MeResponse>(StatusCodes.Status200OK)]
    public async Task<MeResponse> Update(UpdateMeRequest request, CancellationToken ct)
    {
        await Sender.Send(new UpdateMeCommand(request.Name, request.EmailNotifications), ct);
        return await Sender.Send(new GetMeQuery(), ct);
    }
}
