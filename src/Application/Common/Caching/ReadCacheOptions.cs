using System.ComponentModel.DataAnnotations;

namespace RenderOwl.Application.Common.Caching;

/// <summary>
/// <c>Cache:Enabled</c>: false sends every read to PostgreSQL (for measuring what the cache saves, or ruling it out).
/// <c>Cache:Bypass</c>: kinds of read, comma-separated (<c>account, apikey, project, projectpage, template, asset, render</c>), that
/// skip the cache while the others keep it — e.g. <c>render</c> measures the database path of a render read with
/// authentication still cached (<c>make bench</c>), or rules one kind out when a stale entry is suspected.
/// </summary>
public sealed class ReadCacheOptions : IValidatableObject
{
    public const string Section = "Cache";

    public static readonly IReadOnlyList<string> Kinds =
        [CacheKeys.AccountKind, CacheKeys.ApiKeyKind, CacheKeys.ProjectKind, CacheKeys.ProjectPageKind, CacheKeys.TemplateKind, CacheKeys.AssetKind, CacheKeys.RenderKind];

    public bool Enabled { get; set; } = true;

    public string Bypass { get; set; } = "";

    public IReadOnlySet<string> BypassedKinds()
        => Bypass.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(k => k.ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var kind in BypassedKinds().Where(k => !Kinds.Contains(k)))
        {
            yield return new ValidationResult($"Cache:Bypass names '{kind}', which is not a kind of read ({string.Join(", ", Kinds)}).", [nameof(Bypass)]);
        }
    }
}
