using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Caching;
using RenderOwl.Domain.Common;

namespace RenderOwl.Application.Projects;

/// <summary>Projects by id with their owner, cached (medium policy); dropped when the row changes or its render count moves.</summary>
public sealed class ProjectReads(AppCache cache, IServiceScopeFactory scopes)
    : OwnedReads<ProjectId, ProjectResponse>(cache, scopes, CachePolicy.Medium)
{
    public override string Kind => CacheKeys.ProjectKind;

    protected override string KeyOf(ProjectId id) => CacheKeys.Project(id);

    protected override async Task<Owned<ProjectResponse>?> LoadAsync(IAppDbContext db, ProjectId id, CancellationToken cancellationToken)
        => await db.Projects.AsNoTracking().Where(p => p.Id == id)
            .Select(p => new { p.OwnerId, Response = new ProjectResponse(p.Id, p.Name, p.Description, p.CreatedAt, p.UpdatedAt, p.RenderCount) })
            .FirstOrDefaultAsync(cancellationToken) is { } row ? new Owned<ProjectResponse>(row.Response, row.OwnerId) : null;
}
