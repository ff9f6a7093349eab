using Mediator;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Errors;
using RenderOwl.Domain.Common;

namespace RenderOwl.Application.Projects;

public sealed record GetProjectQuery(ProjectId Id) : IQuery<ProjectResponse>;

public sealed class GetProjectHandler(ProjectReads projects, ICurrentUser current) : IQueryHandler<GetProjectQuery, ProjectResponse>
{
    public async ValueTask<ProjectResponse> Handle(GetProjectQuery query, CancellationToken cancellationToken)
    {
        var owner = current.Id;
        // Another account's project is indistinguishable from a missing one.
        return await projects.FindAsync(query.Id, cancellationToken) is { } project && project.OwnerId == owner
            ? project.Value
            : throw new NotFoundException("project");
    }
}
