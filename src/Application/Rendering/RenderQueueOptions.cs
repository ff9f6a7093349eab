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

/// <summary>Sources by URL (<c>Rendering:Sources</c>).</summary>
public sealed class RenderSourceOptions
{
    public const string Section = "Rendering:Sources";

    /// <summary>Accept <c>http://</c> in <c>src</c> as well as https: for local development and tests only.</summary>
    public bool AllowHttp { get; set; }

    /// <summary>At most this many layers with <c>src</c> per render (each may be a download at submission).</summary>
    [Range(1, 100)]
    public int MaxPerRender { get; set; } = 20;
}
