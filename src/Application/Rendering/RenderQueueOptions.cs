using System.ComponentModel.DataAnnotations;

namespace RenderOwl.Application.Rendering;

/// <summary>Retries of failed attempts (<c>Rendering:Queue</c>).</summary>
public sealed class RenderQueueOptions
{
    public const string Section = "Rendering:Queue";
    [Range(1, 20)]
    public int MaxAttempts { get; set; } = 3;
    [Range(0.1, 3600)]
    public double RetryBaseSeconds { get; set; } = 5;
    [Range(1, 86_400)]
    public double RetryMaxSeconds { get; set; } = 300;
}
