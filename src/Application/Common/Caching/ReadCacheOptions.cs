namespace RenderOwl.Application.Common.Caching;

/// <summary><c>Cache:Enabled</c>: false sends every read to PostgreSQL (for measuring what the cache saves, or ruling it out).</summary>
public sealed class ReadCacheOptions
{
    public const string Section = "Cache";

    public bool Enabled { get; set; } = true;
}
