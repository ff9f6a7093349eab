using RenderOwl.Domain.Identity;

namespace RenderOwl.Application.Common.Tiers;

/// <summary>The limits of one tier (docs/api.md's table). Numbers live in configuration (section <c>Tiers</c>), not code.</summary>
public sealed class TierLimits
{
    public int RequestsPerMinute { get; set; }
    public int Burst { get; set; }
    /// <summary>Null: unlimited.</summary>
    public int? RendersPerHour { get; set; }
    public int ConcurrentRenders { get; set; }
    public int MaxRenderSeconds { get; set; }
    public int MaxOutputWidth { get; set; }
    public int MaxOutputHeight { get; set; }
    public long MaxAssetBytes { get; set; }
}

public sealed class TierOptions
{
    public const string Section = "Tiers";

    public Dictionary<string, TierLimits> Limits { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public TierLimits For(Tier tier)
        => Limits.TryGetValue(tier.ToString(), out var limits) ? limits
            : throw new InvalidOperationException($"No limits configured for tier '{tier}' (Tiers:Limits:{tier.ToString().ToLowerInvariant()}).");
}
