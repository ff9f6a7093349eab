using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Caching;
using RenderOwl.Domain.Common;

namespace RenderOwl.Application.Templates;

/// <summary>Templates by id with their owner, cached (medium policy); dropped when the row changes or is deleted.</summary>
public sealed class TemplateReads(AppCache cache, IServiceScopeFactory scopes) : ICacheWarmer
{
    public string Kind => CacheKeys.TemplateKind;

    public async Task<bool> WarmAsync(string id, CancellationToken cancellationToken)
        => Guid.TryParseExact(id, "N", out var guid) && await FindAsync(new TemplateId(guid), cancellationToken) is not null;

    public ValueTask<Owned<TemplateResponse>?> FindAsync(TemplateId id, CancellationToken cancellationToken)
    {
        var key = CacheKeys.Template(id);
        return cache.GetOrLoadAsync(CachePolicy.Medium, key, [key], ct => PrimaryLoad.RunAsync(scopes, async (db, c) =>
            await db.Templates.AsNoTracking().FirstOrDefaultAsync(t => t.Id == id, c) is { } template
                ? new Owned<TemplateResponse>(TemplateResponse.From(template), template.OwnerId)
                : null, ct), cancellationToken);
    }
}
