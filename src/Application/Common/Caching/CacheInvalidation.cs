using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Domain.Assets;
using RenderOwl.Domain.Identity;
using RenderOwl.Domain.Projects;
using RenderOwl.Domain.Rendering;
using RenderOwl.Domain.Templates;

namespace RenderOwl.Application.Common.Caching;

/// <summary>
/// Drops cached reads of rows a use case changed — after its transaction commits (<see cref="AfterCommit"/>), so
/// no reader can load the old row back in between, and never for a change that rolled back. Rows changed through
/// EF are found by the persistence layer's save hook (<see cref="TagOf"/>); writes in bulk or in SQL name their
/// tags here themselves.
/// </summary>
public sealed class CacheInvalidation(AfterCommit afterCommit, AppCache cache)
{
    public Task InvalidateAsync(IReadOnlyCollection<string> tags, CancellationToken cancellationToken)
        => tags.Count == 0
            ? Task.CompletedTask
            : afterCommit.RunAsync("drop cached reads", ct => cache.InvalidateAsync(tags, ct).AsTask(), cancellationToken);

    /// <summary>
    /// The cache tags an entity's change drops: its own cached read when it was changed or removed (<paramref name="added"/>
    /// false), and the cached pages of a list it appears in whichever it was (a new project changes its owner's first page).
    /// </summary>
    public static IEnumerable<string> TagsOf(object entity, bool added)
    {
        if (!added && TagOf(entity) is { } own)
        {
            yield return own;
        }
        if (entity is Project project)
        {
            yield return CacheKeys.ProjectList(project.OwnerId);
        }
    }

    /// <summary>The cache tag of a changed entity whose reads are cached; null for the others.</summary>
    public static string? TagOf(object entity) => entity switch
    {
        User u => CacheKeys.Account(u.Id),
        ApiKey k => CacheKeys.ApiKey(k.KeyHash),
        Project p => CacheKeys.Project(p.Id),
        Template t => CacheKeys.Template(t.Id),
        Asset a => CacheKeys.Asset(a.Id),
        Render r => CacheKeys.Render(r.Id),
        _ => null,
    };
}
