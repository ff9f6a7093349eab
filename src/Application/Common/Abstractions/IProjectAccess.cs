using RenderOwl.Domain.Common;

namespace RenderOwl.Application.Common.Abstractions;

/// <summary>How other modules ask about projects without touching the Projects module's entities.</summary>
public interface IProjectAccess
{
    /// <summary>Throws 404 unless the project exists and belongs to <paramref name="owner"/>.</summary>
    Task EnsureOwnedAsync(ProjectId projectId, UserId owner, CancellationToken cancellationToken);

    /// <summary>Adds <paramref name="count"/> submitted renders to the project's <c>render_count</c>, in the caller's transaction (its cached reads and its owner's cached project pages dropped at commit).</summary>
    Task CountRendersAsync(ProjectId projectId, UserId owner, int count, CancellationToken cancellationToken);

    /// <summary>The project's name, for messages to its owner; null when it is gone.</summary>
    Task<string?> NameAsync(ProjectId projectId, CancellationToken cancellationToken);
}
