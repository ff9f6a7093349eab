using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Caching;
using RenderOwl.Domain.Common;

namespace RenderOwl.Application.Templates;

/// <summary>Templates by id with their owner, cached (medium policy); dropped when the row changes or is deleted.</summary>
public sealed class TemplateReads(AppCache cache, IServiceScopeFactory scopes)
    : OwnedReads<TemplateId, TemplateResponse>(cache, scopes, CachePolicy.Medium)
{
    public override string Kind => CacheKeys.TemplateKind;

    protected override string KeyOf(TemplateId id) => CacheKeys.Template(id);

    protected override async Task<Owned<TemplateResponse>?> LoadAsync(IAppDbContext db, TemplateId id, CancellationToken cancellationToken)
        => await db.Templates.AsNoTracking().FirstOrDefaultAsync(t => t.Id == id, cancellationToken) is { } template
            ? new Owned<TemplateResponse>(TemplateResponse.From(template), template.OwnerId)
            : null;
}
