using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Errors;
using RenderOwl.Domain.Common;

namespace RenderOwl.Application.Assets;

public sealed record GetAssetQuery(AssetId Id) : IQuery<AssetResponse>;

public sealed class GetAssetHandler(IReadDbContext db, ICurrentUser current) : IQueryHandler<GetAssetQuery, AssetResponse>
{
    public async ValueTask<AssetResponse> Handle(GetAssetQuery query, CancellationToken cancellationToken)
    {
        var owner = current.Id;
        return await db.Assets.AsNoTracking().Where(a => a.Id == query.Id && a.OwnerId == owner).Select(AssetResponse.Projection)
            .FirstOrDefaultAsync(cancellationToken) ?? throw new NotFoundException("asset");
    }
}
