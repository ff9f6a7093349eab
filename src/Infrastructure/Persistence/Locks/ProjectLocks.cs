using Microsoft.EntityFrameworkCore;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Domain.Common;
using RenderOwl.Domain.Projects;

namespace RenderOwl.Infrastructure.Persistence.Locks;

public sealed class ProjectLocks(AppDbContext db) : IProjectLocks
{
    // xmin is a system column: "*" leaves it out, and EF reads it as the concurrency token.
    public Task<Project?> LockForChangeAsync(ProjectId id, UserId owner, CancellationToken cancellationToken)
        => db.Projects.FromSql($"SELECT p.*, p.xmin FROM projects.projects p WHERE p.id = {id.Value} AND p.owner_id = {owner.Value} FOR NO KEY UPDATE")
            .FirstOrDefaultAsync(cancellationToken);
}
