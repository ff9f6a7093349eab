using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using RenderOwl.Application.Common;
using RenderOwl.Application.Common.Pagination;
using RenderOwl.Application.Templates;
using RenderOwl.Domain.Common;

namespace RenderOwl.Api.Controllers;

[Route("v1/templates")]
public sealed class TemplatesController : ApiControllerBase
{
    public sealed record CreateTemplateRequest(string Name, string? Description, JsonElement Composition, IReadOnlyList<TemplateVariableDto>? Variables);
    public sealed record UpdateTemplateRequest(Optional<string> Name, Optional<string?> Description, Optional<JsonElement> Composition, Optional<IReadOnlyList<TemplateVariableDto>> Variables);
    public sealed record ResolveTemplateRequest(Dictionary<string, JsonElement>? Modifications);

    [HttpGet]
    [ProducesResponseType<Page<TemplateResponse>>(StatusCodes.Status200OK)]
    public async Task<Page<TemplateResponse>> List([FromQuery(Name = "page_size")] int? pageSize, [FromQuery] int? page, [FromQuery] string? cursor, CancellationToken ct)
        => await Sender.Send(new ListTemplatesQuery(PageOf(pageSize, page, cursor)), ct);

    /// <summary>A composition with <c>{{placeholders}}</c> in its strings, and the variables it declares (with optional defaults).</summary>
    [HttpPost]
    [ProducesResponseType<TemplateResponse>(StatusCodes.Status201Created)]
    public async Task<IActionResult> Create(CreateTemplateRequest request, CancellationToken ct)
    {
        var template = await Sender.Send(new CreateTemplateCommand(request.Name, request.Description, request.Composition, request.Variables), ct);
        return Created($"/v1/templates/{template.Id}", template);
    }

    [HttpGet("{template_id}")]
    [ProducesResponseType<TemplateResponse>(StatusCodes.Status200OK)]
    public async Task<TemplateResponse> Get([FromRoute(Name = "template_id")] TemplateId id, CancellationToken ct)
        => await Sender.Send(new GetTemplateQuery(id), ct);

    [HttpPatch("{template_id}")]
    [ProducesResponseType<TemplateResponse>(StatusCodes.Status200OK)]
    public async Task<TemplateResponse> Update([FromRoute(Name = "template_id")] TemplateId id, UpdateTemplateRequest request, CancellationToken ct)
        => await Sender.Send(new UpdateTemplateCommand(id, request.Name, request.Description, request.Composition, request.Variables), ct);

    [HttpDelete("{template_id}")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    public async Task<IActionResult> Delete([FromRoute(Name = "template_id")] TemplateId id, CancellationToken ct)
    {
        await Sender.Send(new DeleteTemplateCommand(id), ct);
        return NoContent();
    }

    /// <summary>Preview: the composition a render of this template with these modifications would use. Unknown or missing variables → 400 naming them.</summary>
    [HttpPost("{template_id}/resolve")]
    [ProducesResponseType<ResolvedTemplateResponse>(StatusCodes.Status200OK)]
    public async Task<ResolvedTemplateResponse> Resolve([FromRoute(Name = "template_id")] TemplateId id, ResolveTemplateRequest request, CancellationToken ct)
        => await Sender.Send(new ResolveTemplateQuery(id, request.Modifications), ct);
}
