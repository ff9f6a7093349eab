using Mediator;
using RenderOwl.Application.Common.Abstractions;
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
