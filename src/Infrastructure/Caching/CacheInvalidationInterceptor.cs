using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using RenderOwl.Application.Common.Caching;

namespace RenderOwl.Infrastructure.Caching;

/// <summary>
/// Finds the cached rows a save changes or deletes (users, API keys, projects, templates, assets, renders) and hands
/// their tags to <see cref="CacheInvalidation"/>, which drops them once the transaction commits. Inserts need no
/// invalidation: their ids are new. Bulk updates and SQL name their tags themselves.
/// </summary>
public sealed class CacheInvalidationInterceptor(CacheInvalidation invalidation) : SaveChangesInterceptor
{
    private List<string>? _pending;

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Collect(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Collect(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        var tags = Take();
        if (tags.Count > 0)
        {
            invalidation.InvalidateAsync(tags, CancellationToken.None).GetAwaiter().GetResult();
        }
        return result;
    }

    public override async ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        var tags = Take();
        if (tags.Count > 0)
        {
            await invalidation.InvalidateAsync(tags, cancellationToken);
        }
        return result;
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData) => _pending = null;

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        _pending = null;
        return Task.CompletedTask;
    }

    private void Collect(DbContext? context)
    {
        if (context is null)
        {
            return;
        }
        foreach (var entry in context.ChangeTracker.Entries())
        {
            if (entry.State is EntityState.Modified or EntityState.Deleted && CacheInvalidation.TagOf(entry.Entity) is { } tag)
            {
                (_pending ??= []).Add(tag);
            }
        }
    }

    private List<string> Take()
    {
        var tags = _pending ?? [];
        _pending = null;
        return tags.Distinct(StringComparer.Ordinal).ToList();
    }
}
