using Mediator;
using Microsoft.EntityFrameworkCore;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Errors;
using RenderOwl.Domain.Common;

namespace RenderOwl.Application.Assets;

public sealed record DeleteAssetCommand(AssetId Id) : ITransactionalCommand<Unit>;

public sealed class DeleteAssetHandler(IAppDbContext db, ICurrentUser current, IObjectStorage storage, IAssetUsage usage, AfterCommit afterCommit) : ICommandHandler<DeleteAssetCommand, Unit>
{
    public async ValueTask<Unit> Handle(DeleteAssetCommand command, CancellationToken cancellationToken)
    {
        var owner = current.Id;
        var asset = await db.Assets.FirstOrDefaultAsync(a => a.Id == command.Id && a.OwnerId == owner, cancellationToken)
            ?? throw new NotFoundException("asset");
        if (await usage.IsInUseAsync(asset.Id, cancellationToken))
        {
            throw new ConflictException(ErrorCatalog.AssetInUse, "A queued or running render uses this asset.");
        }
        db.Assets.Remove(asset);
        await db.SaveChangesAsync(cancellationToken);
        var key = asset.StorageKey; // the file goes only once the row is gone for good (a rollback keeps both)
        await afterCommit.RunAsync("delete the asset's file", ct => storage.DeleteAsync(key, ct), cancellationToken);
        return Unit.Value;
    }
}
