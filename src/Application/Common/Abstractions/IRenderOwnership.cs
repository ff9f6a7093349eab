using RenderOwl.Domain.Common;

namespace RenderOwl.Application.Common.Abstractions;

/// <summary>Rendering, for the Webhooks module: is this render the owner's?</summary>
public interface IRenderOwnership
{
    Task<bool> IsOwnedAsync(RenderId renderId, UserId owner, CancellationToken cancellationToken);
}
