using Microsoft.EntityFrameworkCore;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Errors;
using RenderOwl.Domain.Common;
using RenderOwl.Domain.Projects;

namespace RenderOwl.Application.Projects;

internal static class OwnedProjects
{
    /// <summary>The caller's project, tracked for change: 404 when it is missing or another account's; 412 when it changed since <paramref name="expectedVersion"/>.</summary>
    public static async Task<Project> LoadForChangeAsync(IAppDbContext db, ICurrentUser current, ProjectId id, DateTimeOffset? expectedVersion, CancellationToken cancellationToken)
    {
        var owner = current.Id;
        var project = await db.Projects.FirstOrDefaultAsync(p => p.Id == id && p.OwnerId == owner, cancellationToken);
        return AsExpected(project, expectedVersion);
    }

    /// <summary>
    /// As <see cref="LoadForChangeAsync"/>, but the row stays locked until the transaction ends, so no other writer can
    /// move it between this read and the write: concurrent PATCHes of one project queue instead of colliding.
    /// </summary>
    public static async Task<Project> LockForChangeAsync(IProjectLocks locks, ICurrentUser current, ProjectId id, DateTimeOffset? expectedVersion, CancellationToken cancellationToken)
    {
        var project = await locks.LockForChangeAsync(id, current.Id, cancellationToken);
        return AsExpected(project, expectedVersion);
    }

    private static Project AsExpected(Project? project, DateTimeOffset? expectedVersion)
    {
        if (project is null)
        {
            throw new NotFoundException("project");
        }
        if (expectedVersion is { } expected && project.UpdatedAt != expected)
        {
            throw new PreconditionFailedException();
        }
        return project;
    }
}
