using Mediator;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Errors;
using RenderOwl.Domain.Common;

namespace RenderOwl.Application.Assets;

public sealed record GetAssetQuery(AssetId Id) : IQuery<AssetResponse>;

public sealed class GetAssetHandler(AssetReads assets, ICurrentUser current) : IQueryHandler<GetAssetQuery, AssetResponse>
{
    public async ValueTask<AssetResponse> Handle(GetAssetQuery query, CancellationToken cancellationToken)
    {
        var owner = current.Id;
        return await assets.FindAsync(query.Id, cancellationToken) is { } asset && asset.OwnerId == owner
            ? asset.Value
            : throw new NotFoundException("asset");
    }
}
