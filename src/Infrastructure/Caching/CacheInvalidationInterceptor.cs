using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using RenderOwl.Application.Common.Caching;
using RenderOwl.Infrastructure.Persistence;

namespace RenderOwl.Infrastructure.Caching;

/// <summary>
/// Finds the cached rows a save changes or deletes (users, API keys, projects, templates, assets, renders) and hands
/// their tags to <see cref="CacheInvalidation"/>, which drops them once the transaction commits. An insert drops no
/// read of its own (its id is new), only the cached pages of a list it joins (<see cref="CacheInvalidation.TagsOf"/>). Bulk updates and SQL name their tags themselves. One instance serves every
/// context (the options are built once, not per request); a unit of work's tags and its request's
/// <see cref="CacheInvalidation"/> live on its <see cref="AppDbContext"/>.
/// </summary>
public sealed class CacheInvalidationInterceptor : SaveChangesInterceptor
{
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
        if (Take(eventData.Context) is { Tags.Count: > 0 } taken)
        {
            taken.Invalidation.InvalidateAsync(taken.Tags, CancellationToken.None).GetAwaiter().GetResult();
        }
        return result;
    }

    public override async ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        if (Take(eventData.Context) is { Tags.Count: > 0 } taken)
        {
            await taken.Invalidation.InvalidateAsync(taken.Tags, cancellationToken);
        }
        return result;
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData) => Discard(eventData.Context);

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Discard(eventData.Context);
        return Task.CompletedTask;
    }

    private static void Collect(DbContext? context)
    {
        if (context is not AppDbContext { CacheInvalidation: not null } app)
        {
            return;
        }
        foreach (var entry in app.ChangeTracker.Entries())
        {
            if (entry.State is EntityState.Added or EntityState.Modified or EntityState.Deleted)
            {
                foreach (var tag in CacheInvalidation.TagsOf(entry.Entity, added: entry.State == EntityState.Added))
                {
                    (app.PendingCacheTags ??= []).Add(tag);
                }
            }
        }
    }

    private static (CacheInvalidation Invalidation, List<string> Tags)? Take(DbContext? context)
    {
        if (context is not AppDbContext { CacheInvalidation: { } invalidation } app)
        {
            return null;
        }
        var tags = app.PendingCacheTags ?? [];
        app.PendingCacheTags = null;
        return (invalidation, tags.Distinct(StringComparer.Ordinal).ToList());
    }

    private static void Discard(DbContext? context)
    {
        if (context is AppDbContext app)
        {
            app.PendingCacheTags = null;
        }
    }
}
