using RenderOwl.Domain.Common;

namespace RenderOwl.Application.Common.Caching;

/// <summary>
/// The key of every cached read, and the tags they carry. An entry is tagged with its own key (a write to the row
/// drops it) and with its owner (dropping an account drops everything of it). Ids are written as bare hex so a key
/// says what it is without the API's prefixes; <see cref="TryParse"/> reads one back for the warm-up.
/// </summary>
public static class CacheKeys
{
    public const string AccountKind = "account";
    public const string ApiKeyKind = "apikey";
    public const string ProjectKind = "project";
    public const string TemplateKind = "template";
    public const string AssetKind = "asset";
    public const string RenderKind = "render";
    public const string ProjectPageKind = "projectpage";

    public static string Account(UserId id) => Of(AccountKind, id.Value);
    public static string ApiKey(string keyHash) => ApiKeyKind + ":" + keyHash;
    public static string Project(ProjectId id) => Of(ProjectKind, id.Value);
    public static string Template(TemplateId id) => Of(TemplateKind, id.Value);
    public static string Asset(AssetId id) => Of(AssetKind, id.Value);
    public static string Render(RenderId id) => Of(RenderKind, id.Value);

    /// <summary>The first offset page of an account's projects at one page size (the list's most read page).</summary>
    public static string ProjectFirstPage(UserId owner, int pageSize) => Of(ProjectPageKind, owner.Value) + ":" + pageSize.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A tag only: every cached page of the account's projects, dropped when one of them is added, changed or removed.</summary>
    public static string ProjectList(UserId owner) => Of("projectlist", owner.Value);

    /// <summary>A tag only: every entry that belongs to the account.</summary>
    public static string Owner(UserId id) => Of("owner", id.Value);

    public static string[] Tags(string key, UserId owner) => [key, Owner(owner)];

    /// <summary>The kind and id of a key made here (<c>project:…</c>); false for anything else.</summary>
    /// <summary>
    /// Whether <paramref name="key"/> (after an optional <paramref name="prefix"/>) is one of RenderOwl's own keys — what
    /// <see cref="TryParse"/> accepts, without making a string (the cache statistics ask it on every cache event).
    /// </summary>
    public static bool IsOwn(ReadOnlySpan<char> key, ReadOnlySpan<char> prefix)
    {
        if (key.StartsWith(prefix, StringComparison.Ordinal))
        {
            key = key[prefix.Length..];
        }
        var colon = key.IndexOf(':');
        if (colon <= 0 || colon == key.Length - 1)
        {
            return false;
        }
        var kind = key[..colon];
        return kind.SequenceEqual(AccountKind) || kind.SequenceEqual(ApiKeyKind) || kind.SequenceEqual(ProjectKind)
            || kind.SequenceEqual(TemplateKind) || kind.SequenceEqual(AssetKind) || kind.SequenceEqual(RenderKind)
            || kind.SequenceEqual(ProjectPageKind);
    }

    public static bool TryParse(string key, out string kind, out string id)
    {
        var colon = key.IndexOf(':', StringComparison.Ordinal);
        kind = colon > 0 ? key[..colon] : "";
        id = colon > 0 ? key[(colon + 1)..] : "";
        return kind is AccountKind or ApiKeyKind or ProjectKind or TemplateKind or AssetKind or RenderKind or ProjectPageKind && id.Length > 0;
    }

    /// <summary>
    /// The policies that can hold entries with this tag — an invalidation writes a marker and sends a backplane
    /// message per policy, so it goes only where the kind lives. A tag of no known kind goes to all of them.
    /// </summary>
    public static IReadOnlyList<CachePolicy> PoliciesOf(string tag)
    {
        var colon = tag.IndexOf(':', StringComparison.Ordinal);
        return (colon > 0 ? tag[..colon] : "") switch
        {
            AccountKind or ApiKeyKind or ProjectKind or ProjectPageKind or "projectlist" or TemplateKind or "owner" => [CachePolicy.Medium],
            AssetKind => [CachePolicy.Long],
            RenderKind => [CachePolicy.Short, CachePolicy.Long],
            _ => CachePolicies.All,
        };
    }

    private static string Of(string kind, Guid id) => kind + ":" + id.ToString("N");
}
