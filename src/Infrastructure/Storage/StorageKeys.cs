using System.Text.RegularExpressions;

namespace RenderOwl.Infrastructure.Storage;

/// <summary>
/// Object keys are server-made (<c>assets/…</c>, <c>renders/…</c>, <c>exports/…</c>) and checked against one strict
/// pattern by every store, so no key can leave a local root or name another bucket's path.
/// </summary>
public static partial class StorageKeys
{
    [GeneratedRegex(@"^[a-z0-9]+(?:/[a-z0-9][a-z0-9._-]{0,100}){1,4}$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    public static string Check(string key)
        => Pattern().IsMatch(key) && !key.Contains("..", StringComparison.Ordinal) ? key : throw new ArgumentException($"Not a storage key: '{key}'.", nameof(key));
}
