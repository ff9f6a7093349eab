using System.ComponentModel.DataAnnotations;

namespace RenderOwl.Infrastructure.Health;

public sealed class HealthOptions
{
    public const string Section = "Health";
    /// <summary>The queue is degraded while a due render has waited longer than this.</summary>
    [Range(1, 86_400 * 7)]
    public double QueueMaxWaitSeconds { get; set; } = 600;
    /// <summary>The storage volume is degraded below this share of free space, unhealthy below a tenth of it.</summary>
    [Range(0, 1)]
    public double DiskMinFreeRatio { get; set; } = 0.10;
    /// <summary>The process is degraded above this share of the memory available to it.</summary>
    [Range(0.01, 1)]
    public double MemoryMaxUsedRatio { get; set; } = 0.90;
}
