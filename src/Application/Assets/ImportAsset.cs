using FluentValidation;
using Mediator;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Domain.Common;

namespace RenderOwl.Application.Assets;

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
