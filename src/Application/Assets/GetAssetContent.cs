using Mediator;
using Microsoft.EntityFrameworkCore;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Errors;
using RenderOwl.Domain.Common;

namespace RenderOwl.Application.Assets;

/// <summary>An asset's file, for the download endpoint.</summary>
public sealed record GetAssetContentQuery(AssetId Id) : IQuery<Download>;

public sealed class GetAssetContentHandler(IAppDbContext db, ICurrentUser current) : IQueryHandler<GetAssetContentQuery, Download>
{
    public async ValueTask<Download> Handle(GetAssetContentQuery query, CancellationToken cancellationToken)
    {
        var owner = current.Id;
        var a = await db.Assets.AsNoTracking().Where(x => x.Id == query.Id && x.OwnerId == owner)
            .Select(x => new { x.Id, x.StorageKey, x.ContentType, x.Sha256, x.CreatedAt }).FirstOrDefaultAsync(cancellationToken)
            ?? throw new NotFoundException("asset");
        var extension = AssetFiles.Extension(a.ContentType);
        return new Download(a.StorageKey, a.ContentType, a.Sha256, $"{a.Id}.{extension}", a.CreatedAt);
    }
}
