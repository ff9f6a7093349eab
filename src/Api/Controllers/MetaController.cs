using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using RenderOwl.Application.Common.Errors;

namespace RenderOwl.Api.Controllers;

[Route("v1/meta")]
[AllowAnonymous]
public sealed class MetaController : ApiControllerBase
{
    public sealed record ErrorTypeResponse(string Type, string Slug, int Status, string Title, string Description);

    /// <summary>Every problem type this API can answer with (the same list as docs/errors.md).</summary>
    [HttpGet("errors")]
    [ProducesResponseType<IReadOnlyList<ErrorTypeResponse>>(StatusCodes.Status200OK)]
    public IReadOnlyList<ErrorTypeResponse> Errors()
        => ErrorCatalog.All.Select(e => new ErrorTypeResponse(ErrorCatalog.TypeUri(e), e.Slug, e.Status, e.Title, e.Description)).ToList();
}
