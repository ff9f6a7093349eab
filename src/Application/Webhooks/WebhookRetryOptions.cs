using System.ComponentModel.DataAnnotations;

namespace RenderOwl.Application.Webhooks;

/// <summary>
/// When a failed delivery is tried again (<c>Webhooks:Retry</c>): exponential backoff with full jitter, 8 attempts in all.
/// The ceilings after attempts 1…7 are 2 min, 10 min, 1 h, 4 h, 10 h, 16 h, 16 h (uniform waits below them: the last
/// attempt comes on average about a day after the first), times <see cref="Scale"/> (tests shrink it).
/// </summary>
public sealed class WebhookRetryOptions
{
    public const string Section = "Webhooks:Retry";

    public static readonly TimeSpan[] Ceilings =
    [
        TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(10), TimeSpan.FromHours(1), TimeSpan.FromHours(4),
        TimeSpan.FromHours(10), TimeSpan.FromHours(16), TimeSpan.FromHours(16),
    ];

    [Range(0.000001, 100)]
    public double Scale { get; set; } = 1;

    /// <summary>The wait after failed attempt <paramref name="attempt"/> (1-based): uniform in [0, ceiling]; null after the last.</summary>
    public TimeSpan? After(int attempt, Random random)
        => attempt < 1 || attempt > Ceilings.Length ? null : TimeSpan.FromTicks((long)(random.NextDouble() * Ceilings[attempt - 1].Ticks * Scale));
}
