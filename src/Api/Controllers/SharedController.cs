using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using RenderOwl.Api.Http;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Rendering.Sharing;

namespace RenderOwl.Api.Controllers;

/// <summary>Share links: a render's output for anyone holding a link its owner made (no credentials).</summary>
public sealed class SharedController(IObjectStorage storage) : ApiControllerBase
{
    /// <summary>The shared output, with Range and ETag. 404 for a link this server did not make; 410 once it expired or was revoked.</summary>
    [AllowAnonymous]
    [HttpGet("v1/shared/{token}")]
    [StreamedResponse]
    [ProducesResponseType(StatusCodes.Status200OK)]
    [ProducesResponseType(StatusCodes.Status206PartialContent)]
    public async Task<IActionResult> Get([FromRoute] string? token, CancellationToken ct) // a blank segment binds as null
        => await StoredFiles.ServeAsync(storage, await Sender.Send(new GetSharedOutputQuery(token ?? ""), ct), ct);
}
