using System.Text.Json;
using RenderOwl.Domain.Common;

namespace RenderOwl.Application.Common.Abstractions;

/// <summary>Templates, for the Rendering module: a template with modifications applied (400s name bad variables).</summary>
public interface ITemplateResolver
{
    Task<JsonElement> ResolveAsync(TemplateId templateId, IReadOnlyDictionary<string, JsonElement>? modifications, CancellationToken cancellationToken);
}

public sealed record OwnedAsset(Guid Id, string Kind, string StorageKey, string ContentType);

/// <summary>Assets, for the Rendering module: which of these ids are the owner's, and where their files are.</summary>
public interface IAssetLookup
{
    Task<IReadOnlyDictionary<Guid, OwnedAsset>> FindOwnedAsync(IReadOnlyCollection<Guid> ids, UserId owner, CancellationToken cancellationToken);
    Task<IReadOnlyDictionary<Guid, OwnedAsset>> FindAsync(IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken);
}

/// <summary>Rendering, for the Assets module: is an asset used by a queued or running render?</summary>
public interface IAssetUsage
{
    Task<bool> IsInUseAsync(AssetId assetId, CancellationToken cancellationToken);
}

public sealed record RenderUsage(int SubmittedLastHour, int Running, int Queued);

/// <summary>Rendering, for the Identity module: an account's renders against its tier (<c>GET /v1/me</c>).</summary>
public interface IRenderUsage
{
    Task<RenderUsage> ForAsync(UserId owner, CancellationToken cancellationToken);
}

/// <summary>A render reached a final status. Handlers run in the same transaction as the status change.</summary>
public sealed record RenderFinished(RenderId RenderId, ProjectId ProjectId, UserId OwnerId, string Status, string? ErrorCode, string? WebhookUrl, JsonElement Render, DateTimeOffset At);

/// <summary>Completion effects (in-app notification, webhook outbox), implemented by their modules.</summary>
public interface IRenderFinishedHandler
{
    Task HandleAsync(RenderFinished finished, CancellationToken cancellationToken);
}

/// <summary>
/// Signals to the workers, sent in the caller's transaction and delivered when it commits (PostgreSQL
/// NOTIFY): a render became due, or a running render should stop.
/// </summary>
public interface IRenderSignals
{
    Task RenderQueuedAsync(CancellationToken cancellationToken);
    Task CancelRequestedAsync(RenderId renderId, CancellationToken cancellationToken);
}
