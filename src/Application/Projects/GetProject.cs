using Mediator;
using Microsoft.EntityFrameworkCore;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Errors;
using RenderOwl.Domain.Common;

namespace RenderOwl.Application.Projects;

public sealed record GetProjectQuery(ProjectId Id) : IQuery<ProjectResponse>;

public sealed class GetProjectHandler(IReadDbContext db, ICurrentUser current) : IQueryHandler<GetProjectQuery, ProjectResponse>
{
    public async ValueTask<ProjectResponse> Handle(GetProjectQuery query, CancellationToken cancellationToken)
    {
        var owner = current.Id;
        // Another account's project is indistinguishable from a missing one.
        return await db.Projects.AsNoTracking()
            .Where(p => p.Id == query.Id && p.OwnerId == owner)
            .Select(ProjectResponse.Projection)
            .FirstOrDefaultAsync(cancellationToken)
            ?? throw new NotFoundException("project");
    }
}
