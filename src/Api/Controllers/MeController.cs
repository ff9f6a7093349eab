using Microsoft.AspNetCore.Mvc;
using RenderOwl.Application.Common;
using RenderOwl.Application.Identity;
using RenderOwl.Application.Identity.Deletion;

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

    public sealed record DeleteMeRequest(string? Password);

    /// <summary>
    /// Delete the account and everything it owns. Needs the password in <c>password</c> (or a sign-in of the last
    /// minutes). 202: from now on every token and API key of the account is refused and its renders are canceled;
    /// a background job deletes its rows and files.
    /// </summary>
    [HttpDelete]
    [ProducesResponseType(StatusCodes.Status202Accepted)]
    public async Task<IActionResult> Delete([FromBody(EmptyBodyBehavior = Microsoft.AspNetCore.Mvc.ModelBinding.EmptyBodyBehavior.Allow)] DeleteMeRequest? request, CancellationToken ct)
    {
        await Sender.Send(new RequestAccountDeletionCommand(request?.Password), ct);
        return Accepted();
    }
}
