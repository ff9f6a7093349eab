using Mediator;
using Microsoft.EntityFrameworkCore;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Errors;
using RenderOwl.Domain.Common;

namespace RenderOwl.Application.Assets;

/// <summary>Where an asset's bytes are, for the download endpoint.</summary>
public sealed record AssetContent(string StorageKey, string ContentType, string Sha256, string FileName, DateTimeOffset CreatedAt);

public sealed record GetAssetContentQuery(AssetId Id) : IQuery<AssetContent>;

public sealed class GetAssetContentHandler(IAppDbContext db, ICurrentUser current) : IQueryHandler<GetAssetContentQuery, AssetContent>
{
    public async ValueTask<AssetContent> Handle(GetAssetContentQuery query, CancellationToken cancellationToken)
    {
        var owner = current.Id;
        var a = await db.Assets.AsNoTracking().FirstOrDefaultAsync(x => x.Id == query.Id && x.OwnerId == owner, cancellationToken)
            ?? throw new NotFoundException("asset");
        var extension = a.ContentType.Split('/')[1] switch { "jpeg" => "jpg", "mpeg" => "mp3", "quicktime" => "mov", var e => e };
        return new AssetContent(a.StorageKey, a.ContentType, a.Sha256, $"{a.Id}.{extension}", a.CreatedAt);
    }
}
