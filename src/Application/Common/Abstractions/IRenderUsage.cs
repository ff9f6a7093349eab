using RenderOwl.Domain.Common;

namespace RenderOwl.Application.Common.Abstractions;

public sealed record RenderUsage(int SubmittedLastHour, int Running, int Queued);

/// <summary>Rendering, for the Identity module: an account's renders against its tier (<c>GET /v1/me</c>).</summary>
public interface IRenderUsage
{
    Task<RenderUsage> ForAsync(UserId owner, CancellationToken cancellationToken);
}
