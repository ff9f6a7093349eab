using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace RenderOwl.Infrastructure.Observability;

/// <summary>
/// A statement's shape: comments dropped, string and number literals and parameters (<c>@p0</c>, <c>$1</c>)
/// as <c>?</c>, lists of them as one <c>?</c>, white space folded. Two calls that differ only by values give one text.
/// Identifiers, quoted or not, are kept (<c>t1</c>, <c>"p0"</c> stay).
/// </summary>
public static partial class SqlNormalizer
{
    private const int MaxCached = 5_000;
    private static readonly ConcurrentDictionary<string, string> Cache = new(StringComparer.Ordinal);

    public static string Normalize(string sql)
    {
        if (Cache.TryGetValue(sql, out var known))
        {
            return known;
        }
        var text = LineComment().Replace(sql, " ");
        text = BlockComment().Replace(text, " ");
        text = StringLiteral().Replace(text, "?");
        text = Parameter().Replace(text, "?");
        text = Number().Replace(text, "?");
        text = Whitespace().Replace(text, " ").Trim();
        text = ValueList().Replace(text, "(?)");
        text = ValueRows().Replace(text, "(?)");
        if (Cache.Count < MaxCached)
        {
            Cache.TryAdd(sql, text); // bounded: past it, statements with inlined values are normalised each time
        }
        return text;
    }

    [GeneratedRegex(@"--[^\r\n]*")]
    private static partial Regex LineComment();

    [GeneratedRegex(@"/\*.*?\*/", RegexOptions.Singleline)]
    private static partial Regex BlockComment();

    [GeneratedRegex(@"(?:\b[eEbBxXuU]&?)?'(?:[^']|'')*'")]
    private static partial Regex StringLiteral();

    [GeneratedRegex(@"(?<![\w""$])(?:@\w+|\$\d+)")]
    private static partial Regex Parameter();

    [GeneratedRegex(@"(?<![\w""$.])-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?(?![\w""])")]
    private static partial Regex Number();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"\(\s*\?(?:\s*,\s*\?)+\s*\)")]
    private static partial Regex ValueList();

    [GeneratedRegex(@"\(\?\)(?:\s*,\s*\(\?\))+")]
    private static partial Regex ValueRows();
}
