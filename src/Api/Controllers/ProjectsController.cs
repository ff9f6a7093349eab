using Microsoft.AspNetCore.Mvc;
using RenderOwl.Api.Http;
using RenderOwl.Application.Common;
using RenderOwl.Application.Common.Errors;
using RenderOwl.Application.Common.Pagination;
using RenderOwl.Application.Projects;
using RenderOwl.Domain.Common;

namespace RenderOwl.Api.Controllers;

[Route("v1/projects")]
public sealed class ProjectsController(ETags etags) : ApiControllerBase
{
    public sealed record CreateProjectRequest(string Name, string? Description);
    public sealed record UpdateProjectRequest(Optional<string> Name, Optional<string?> Description);

    [HttpGet]
    [ProducesResponseType<Page<ProjectResponse>>(StatusCodes.Status200OK)]
    public async Task<Page<ProjectResponse>> List(
        [FromQuery(Name = "page_size")] int? pageSize, [FromQuery] int? page, [FromQuery] string? cursor, CancellationToken ct)
        => await Sender.Send(new ListProjectsQuery(PageOf(pageSize, page, cursor)), ct);

    [HttpPost]
    [ProducesResponseType<ProjectResponse>(StatusCodes.Status201Created)]
    public async Task<IActionResult> Create(CreateProjectRequest request, CancellationToken ct)
    {
        var project = await Sender.Send(new CreateProjectCommand(request.Name, request.Description), ct);
        Response.Headers.ETag = etags.For(project);
        return Created($"/v1/projects/{project.Id}", project);
    }

    [HttpGet("{project_id}")]
    [ProducesResponseType<ProjectResponse>(StatusCodes.Status200OK)]
    public async Task<ProjectResponse> Get([FromRoute(Name = "project_id")] ProjectId id, CancellationToken ct)
        => await Sender.Send(new GetProjectQuery(id), ct);

    /// <summary>Change name and/or description. Absent fields stay as they are; send If-Match to update only the version you read.</summary>
    [HttpPatch("{project_id}")]
    [ProducesResponseType<ProjectResponse>(StatusCodes.Status200OK)]
    public async Task<ProjectResponse> Update([FromRoute(Name = "project_id")] ProjectId id, UpdateProjectRequest request, CancellationToken ct)
    {
        var expected = await ExpectedVersionAsync(id, ct);
        var project = await Sender.Send(new UpdateProjectCommand(id, request.Name, request.Description, expected), ct);
        Response.Headers.ETag = etags.For(project);
        return project;
    }

    [HttpDelete("{project_id}")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    public async Task<IActionResult> Delete([FromRoute(Name = "project_id")] ProjectId id, CancellationToken ct)
    {
        var expected = await ExpectedVersionAsync(id, ct);
        await Sender.Send(new DeleteProjectCommand(id, expected), ct);
        return NoContent();
    }

    /// <summary>With If-Match: the version the client's ETag stands for, or 412 when it is not the current one.</summary>
    private async Task<DateTimeOffset?> ExpectedVersionAsync(ProjectId id, CancellationToken ct)
    {
        if (Request.Headers.IfMatch.Count == 0)
        {
            return null;
        }
        var current = await Sender.Send(new GetProjectQuery(id), ct);
        if (ETags.IfMatchFails(Request, etags.For(current)))
        {
            throw new PreconditionFailedException();
        }
        return current.UpdatedAt;
    }
}
