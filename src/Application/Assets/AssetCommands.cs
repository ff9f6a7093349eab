using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Errors;
using RenderOwl.Application.Common.Pagination;
using RenderOwl.Domain.Common;

namespace RenderOwl.Application.Assets;

/// <summary>A multipart upload, streamed: <paramref name="Content"/> is the file part of the request body.</summary>
public sealed record UploadAssetCommand(ProjectId ProjectId, Stream Content, string? FileName) : ICommand<AssetResponse>;

public sealed class UploadAssetHandler(AssetIngest ingest, IObjectStorage storage) : ICommandHandler<UploadAssetCommand, AssetResponse>
{
    public async ValueTask<AssetResponse> Handle(UploadAssetCommand command, CancellationToken cancellationToken)
        => await ingest.IngestAsync(command.ProjectId, (key, limit) => storage.WriteAsync(key, command.Content, limit, cancellationToken),
            command.FileName, null, cancellationToken);
}

public sealed record ImportAssetCommand(ProjectId ProjectId, string Url) : ICommand<AssetResponse>;

public sealed class ImportAssetValidator : AbstractValidator<ImportAssetCommand>
{
    public ImportAssetValidator()
        => RuleFor(x => x.Url).NotEmpty().MaximumLength(2048)
            .Must(u => Uri.TryCreate(u, UriKind.Absolute, out _)).WithErrorCode("invalid_url").WithMessage("'url' must be an absolute http or https URL.");
}

public sealed class ImportAssetHandler(AssetIngest ingest, ISafeFetcher fetcher, IObjectStorage storage) : ICommandHandler<ImportAssetCommand, AssetResponse>
{
    public async ValueTask<AssetResponse> Handle(ImportAssetCommand command, CancellationToken cancellationToken)
    {
        var url = new Uri(command.Url);
        return await ingest.IngestAsync(command.ProjectId, (key, limit) => fetcher.FetchToStorageAsync(url, key, limit, storage, cancellationToken),
            Path.GetFileName(url.AbsolutePath) is { Length: > 0 } name ? name : null, command.Url, cancellationToken);
    }
}

public sealed record ListAssetsQuery(ProjectId ProjectId, PageRequest Page) : IQuery<Page<AssetResponse>>;

public sealed class ListAssetsHandler(IReadDbContext db, ICurrentUser current, IProjectAccess projects, Paginator paginator) : IQueryHandler<ListAssetsQuery, Page<AssetResponse>>
{
    public async ValueTask<Page<AssetResponse>> Handle(ListAssetsQuery query, CancellationToken cancellationToken)
    {
        var owner = current.Id;
        await projects.EnsureOwnedAsync(query.ProjectId, owner, cancellationToken);
        return await paginator.PageAsync(db.Assets.AsNoTracking().Where(a => a.ProjectId == query.ProjectId && a.OwnerId == owner),
            query.Page, AssetResponse.Keyset, AssetResponse.Projection, a => (a.CreatedAt, a.Id.Value), cancellationToken);
    }
}

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
            throw new AppException(ErrorCatalog.AssetInUse, "A queued or running render uses this asset.");
        }
        db.Assets.Remove(asset);
        await db.SaveChangesAsync(cancellationToken);
        var key = asset.StorageKey; // the file goes only once the row is gone for good (a rollback keeps both)
        await afterCommit.RunAsync("delete the asset's file", ct => storage.DeleteAsync(key, ct), cancellationToken);
        return Unit.Value;
    }
}
