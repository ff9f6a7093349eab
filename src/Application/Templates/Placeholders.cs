using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace RenderOwl.Application.Templates;

/// <summary>
/// <c>{{name}}</c> placeholders in a composition's strings. Substitution works on the parsed JSON tree, never on
/// text, so a value with quotes, braces or <c>}}</c> stays inside its string; inserted text is not scanned again.
/// A string that is exactly one placeholder takes the value's JSON type (a number stays a number).
/// </summary>
public static partial class Placeholders
{
    [GeneratedRegex(@"\{\{\s*([a-z][a-z0-9_]{0,63})\s*\}\}", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    [GeneratedRegex(@"^\{\{\s*([a-z][a-z0-9_]{0,63})\s*\}\}$", RegexOptions.CultureInvariant)]
    private static partial Regex Whole();

    [GeneratedRegex("^[a-z][a-z0-9_]{0,63}$", RegexOptions.CultureInvariant)]
    public static partial Regex Name();

    public static HashSet<string> Used(JsonNode? node)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        Walk(node, s => { foreach (Match m in Pattern().Matches(s)) { names.Add(m.Groups[1].Value); } });
        return names;
    }

    public static JsonNode? Substitute(JsonNode? node, IReadOnlyDictionary<string, JsonElement> values) => node switch
    {
        JsonObject o => new JsonObject(o.Select(p => KeyValuePair.Create(p.Key, Substitute(p.Value, values)))),
        JsonArray a => new JsonArray(a.Select(i => Substitute(i, values)).ToArray()),
        JsonValue v when v.TryGetValue<string>(out var s) => Replace(s, values),
        _ => node?.DeepClone(),
    };

    private static JsonNode? Replace(string text, IReadOnlyDictionary<string, JsonElement> values)
    {
        if (Whole().Match(text) is { Success: true } whole && values.TryGetValue(whole.Groups[1].Value, out var only))
        {
            return JsonValue.Create(only);
        }
        return JsonValue.Create(Pattern().Replace(text, m => values.TryGetValue(m.Groups[1].Value, out var v) ? AsText(v) : m.Value));
    }

    private static string AsText(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.String => v.GetString()!,
        JsonValueKind.Number => v.GetDouble().ToString(CultureInfo.InvariantCulture),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => v.GetRawText(),
    };

    private static void Walk(JsonNode? node, Action<string> visit)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (_, value) in o) { Walk(value, visit); }
                break;
            case JsonArray a:
                foreach (var item in a) { Walk(item, visit); }
                break;
            case JsonValue v when v.TryGetValue<string>(out var s):
                visit(s);
                break;
        }
    }
}
