using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Caching;
using RenderOwl.Domain.Common;
using RenderOwl.Domain.Rendering;

namespace RenderOwl.Application.Rendering;

/// <summary>A render as <c>GET /v1/renders/{id}</c> needs it: its response, and what the queue reason of a queued one is worked out from.</summary>
public sealed record RenderView(RenderResponse Response, DateTimeOffset NextAttemptAt, int ConcurrencyCap);

/// <summary>
/// Renders by id with their owner, cached: while not finished in the short policy (every change — claim, progress,
/// cancel, finish — drops it), once finished in the long one, where it stays: a finished render does not change.
/// </summary>
public sealed class RenderReads(AppCache cache, IServiceScopeFactory scopes) : ICacheWarmer
{
    // Compiled once: as a LINQ query, building its expression tree, funcletizing it and finding it in EF's query cache
    // took ~14 % of the API's CPU on an uncached GET /v1/renders/{id} (perf, docs/benchmarks.md). The base DbContext as
    // the context type keeps Infrastructure's AppDbContext out of this layer; EF keys the compiled plan by its model.
    private static readonly Func<DbContext, RenderId, CancellationToken, Task<RenderRow?>> ById = EF.CompileAsyncQuery(
        (DbContext db, RenderId id, CancellationToken _) => db.Set<Render>().AsNoTracking().Where(r => r.Id == id).Select(RenderResponse.Row).FirstOrDefault());

    public string Kind => CacheKeys.RenderKind;

    public async Task<bool> WarmAsync(string id, CancellationToken cancellationToken)
        => Guid.TryParseExact(id, "N", out var guid) && await FindAsync(new RenderId(guid), cancellationToken) is not null;

    public async ValueTask<Owned<RenderView>?> FindAsync(RenderId id, CancellationToken cancellationToken)
    {
        var key = CacheKeys.Render(id);
        if (await cache.PeekAsync<Owned<RenderView>>(CachePolicy.Long, key, cancellationToken) is { } finished)
        {
            return finished;
        }
        var view = await cache.GetOrLoadAsync(CachePolicy.Short, key, [key], ct => PrimaryLoad.RunAsync(scopes, async (db, c) =>
            await ById((DbContext)db, id, c) is { } row
                ? new Owned<RenderView>(new RenderView(RenderResponse.From(row), row.NextAttemptAt, row.ConcurrencyCap), row.OwnerId)
                : null, ct), cancellationToken);
        if (view is not null && view.Value.Response.Status.IsFinal())
        {
            await cache.SetAsync(CachePolicy.Long, key, view, [key], cancellationToken);
        }
        return view;
    }
}
