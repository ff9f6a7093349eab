using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Caching;
using RenderOwl.Domain.Common;

namespace RenderOwl.Application.Projects;

/// <summary>Projects by id with their owner, cached (medium policy); dropped when the row changes or its render count moves.</summary>
public sealed class ProjectReads(AppCache cache, IServiceScopeFactory scopes) : ICacheWarmer
{
    public string Kind => CacheKeys.ProjectKind;

    public async Task<bool> WarmAsync(string id, CancellationToken cancellationToken)
        => Guid.TryParseExact(id, "N", out var guid) && await FindAsync(new ProjectId(guid), cancellationToken) is not null;

    public ValueTask<Owned<ProjectResponse>?> FindAsync(ProjectId id, CancellationToken cancellationToken)
    {
        var key = CacheKeys.Project(id);
        return cache.GetOrLoadAsync(CachePolicy.Medium, key, [key], ct => PrimaryLoad.RunAsync(scopes, async (db, c) =>
            await db.Projects.AsNoTracking().Where(p => p.Id == id)
                .Select(p => new { p.OwnerId, Response = new ProjectResponse(p.Id, p.Name, p.Description, p.CreatedAt, p.UpdatedAt, p.RenderCount) })
                .FirstOrDefaultAsync(c) is { } row ? new Owned<ProjectResponse>(row.Response, row.OwnerId) : null, ct), cancellationToken);
    }
}
