using Microsoft.EntityFrameworkCore;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Caching;
using RenderOwl.Application.Common.Errors;
using RenderOwl.Domain.Common;

namespace RenderOwl.Application.Projects;

public sealed class ProjectAccess(IAppDbContext db, CacheInvalidation cache) : IProjectAccess
{
    public async Task EnsureOwnedAsync(ProjectId projectId, UserId owner, CancellationToken cancellationToken)
    {
        if (!await db.Projects.AnyAsync(p => p.Id == projectId && p.OwnerId == owner, cancellationToken))
        {
            throw new NotFoundException("project");
        }
    }

    public Task<string?> NameAsync(ProjectId projectId, CancellationToken cancellationToken)
        => db.Projects.AsNoTracking().Where(p => p.Id == projectId).Select(p => (string?)p.Name).FirstOrDefaultAsync(cancellationToken);

    public async Task CountRendersAsync(ProjectId projectId, UserId owner, int count, CancellationToken cancellationToken)
    {
        await db.Projects.Where(p => p.Id == projectId)
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.RenderCount, p => p.RenderCount + count), cancellationToken);
        await cache.InvalidateAsync([CacheKeys.Project(projectId), CacheKeys.ProjectList(owner)], cancellationToken); // render_count moved; a bulk update, unseen by the save hook
    }
}
