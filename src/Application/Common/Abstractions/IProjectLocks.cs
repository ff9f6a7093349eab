using RenderOwl.Domain.Common;
using RenderOwl.Domain.Projects;

namespace RenderOwl.Application.Common.Abstractions;

/// <summary>
/// A project read under a row lock until the transaction ends, tracked for change. Writers of one project then wait
/// for each other in PostgreSQL instead of each failing its xmin check and redoing the whole unit (under 64 writers on
/// one project that was thousands of concurrency exceptions a second — docs/benchmarks.md).
/// </summary>
public interface IProjectLocks
{
    /// <summary>The owner's project under <c>FOR NO KEY UPDATE</c> (does not block inserts of renders that reference it), or null.</summary>
    Task<Project?> LockForChangeAsync(ProjectId id, UserId owner, CancellationToken cancellationToken);
}
