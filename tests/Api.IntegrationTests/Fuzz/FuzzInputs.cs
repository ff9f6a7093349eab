using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace RenderOwl.Api.IntegrationTests.Fuzz;

/// <summary>The corpus (Fuzz/corpus.json) and the mutations drawn from it with one seeded <see cref="Random"/>: same seed, same requests.</summary>
public sealed class FuzzInputs
{
    private readonly Random _random;
    private readonly JsonNode?[] _bodies;
    private readonly Dictionary<string, JsonNode?[]> _bodiesByPath;
    private readonly string[] _strings;
    private readonly string[] _numbers;
    private readonly string[] _contentTypes;
    private readonly (string Name, string Value)[] _headers;

    public FuzzInputs(JsonNode corpus, int seed)
    {
        _random = new Random(seed);
        _bodies = [.. corpus["bodies"]!.AsArray().Select(b => b?.DeepClone())];
        _bodiesByPath = corpus["bodies_by_path"]!.AsObject().ToDictionary(kv => kv.Key, kv => kv.Value!.AsArray().Select(b => b?.DeepClone()).ToArray());
        _strings = [.. corpus["strings"]!.AsArray().Select(s => s!.GetValue<string>())];
        _numbers = [.. corpus["numbers"]!.AsArray().Select(s => s!.GetValue<string>())];
        _contentTypes = [.. corpus["content_types"]!.AsArray().Select(s => s!.GetValue<string>())];
        _headers = [.. corpus["headers"]!.AsArray().Select(h => (h![0]!.GetValue<string>(), h[1]!.GetValue<string>()))];
    }

    public static FuzzInputs Load(int? seed = null)
    {
        var corpus = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fuzz", "corpus.json")))!;
        return new FuzzInputs(corpus, seed ?? corpus["seed"]!.GetValue<int>());
    }

    public int Next(int max) => _random.Next(max);

    public T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

    public bool Chance(double p) => _random.NextDouble() < p;

    public string String() => Chance(0.1) ? new string('x', 1 + _random.Next(100_000)) : Pick(_strings);

    /// <summary>A body: a corpus entry mutated, or one of the structural attacks.</summary>
    public byte[] Body(string template)
    {
        _template = template;
        if (Chance(0.4) && _bodiesByPath.TryGetValue(template, out var valid))
        {
            return Encoding.UTF8.GetBytes(Pick(valid)?.ToJsonString() ?? "null"); // as the route expects it: accepted writes are reached
        }
        switch (_random.Next(12))
        {
            case 0: return [];
            case 1: return Encoding.UTF8.GetBytes(new string('[', 5000) + new string(']', 5000)); // deep nesting
            case 2: return Random(1 + _random.Next(512));                                             // noise, mostly not UTF-8
            case 3: return [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(Text())];                     // a BOM in front
            case 4:
                {
                    var text = Encoding.UTF8.GetBytes(Text());
                    return text[..(text.Length == 0 ? 0 : _random.Next(text.Length))];                   // truncated
                }
            case 5: return Encoding.UTF8.GetBytes(Text().Replace("\"name\":", "\"name\":\"dup\",\"name\":", StringComparison.Ordinal));
            case 6: return Encoding.Unicode.GetBytes(Text());                                         // UTF-16 bytes
            default: return Encoding.UTF8.GetBytes(Text());
        }
    }

    private string _template = "";

    private string Text()
    {
        // Half the time a body made for this route, so accepted writes (and refusals after partial work) are reached.
        var node = (Chance(0.5) && _bodiesByPath.TryGetValue(_template, out var own) ? Pick(own) : Pick(_bodies))?.DeepClone();
        var mutations = Chance(0.3) ? 0 : 1 + _random.Next(4); // some bodies stay valid, so accepted writes are reached too
        for (var i = 0; i < mutations; i++)
        {
            node = Mutate(node, 0);
        }
        // Lone surrogates cannot live in a .NET string node: the corpus names them, the JSON text carries them.
        var text = (node?.ToJsonString() ?? "null").Replace("LONEHIGHSURROGATE", "\\ud800", StringComparison.Ordinal).Replace("LONELOWSURROGATE", "\\udc00", StringComparison.Ordinal);
        // Raw number tokens JSON nodes cannot hold (1e400, NaN, 0x10) are spliced in as text.
        return Chance(0.2) ? text.Replace("64", Pick(_numbers), StringComparison.Ordinal) : text;
    }

    private JsonNode? Mutate(JsonNode? node, int depth)
    {
        if (node is JsonObject obj && obj.Count > 0 && depth < 6 && Chance(0.7))
        {
            var key = obj.ElementAt(_random.Next(obj.Count)).Key;
            obj[key] = Mutate(obj[key]?.DeepClone(), depth + 1);
            if (Chance(0.1))
            {
                obj[String()] = Leaf();
            }
            return obj;
        }
        if (node is JsonArray array && array.Count > 0 && depth < 6 && Chance(0.7))
        {
            var i = _random.Next(array.Count);
            array[i] = Mutate(array[i]?.DeepClone(), depth + 1);
            return array;
        }
        return Leaf();
    }

    private JsonNode? Leaf() => _random.Next(8) switch
    {
        0 => null,
        1 => JsonValue.Create(String()),
        2 => JsonValue.Create(_random.Next(int.MinValue, int.MaxValue)),
        3 => JsonValue.Create(_random.NextDouble() * 1e12),
        4 => JsonValue.Create(Chance(0.5)),
        5 => new JsonArray(JsonValue.Create(String()), null),
        6 => new JsonObject { [String()] = JsonValue.Create(String()) },
        _ => JsonValue.Create(Pick(_strings)),
    };

    private byte[] Random(int length)
    {
        var bytes = new byte[length];
        _random.NextBytes(bytes);
        return bytes;
    }

    public HttpContent? Content(byte[] body)
    {
        if (Chance(0.1))
        {
            return null;
        }
        var content = new ByteArrayContent(body);
        var type = Chance(0.5) ? "application/json" : Pick(_contentTypes);
        if (type.Length > 0)
        {
            content.Headers.TryAddWithoutValidation("Content-Type", type);
        }
        return content;
    }

    /// <summary>A multipart body for the upload route: random parts, random or missing names, bad boundaries.</summary>
    public HttpContent Multipart()
    {
        var boundary = Chance(0.2) ? Pick(_strings) : "b" + _random.Next(1000);
        var parts = new StringBuilder();
        for (var i = 0; i < _random.Next(3); i++)
        {
            parts.Append(CultureInfoText($"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename*=UTF-8''{Uri.EscapeDataString(String())}\r\n\r\n"));
            parts.Append(Encoding.Latin1.GetString(Random(_random.Next(64))));
            parts.Append("\r\n");
        }
        if (Chance(0.7))
        {
            parts.Append("--").Append(boundary).Append("--\r\n");
        }
        var content = new ByteArrayContent(Encoding.Latin1.GetBytes(parts.ToString()));
        content.Headers.TryAddWithoutValidation("Content-Type", $"multipart/form-data; boundary={boundary}");
        return content;
    }

    private static string CultureInfoText(FormattableString s) => FormattableString.Invariant(s);

    public IEnumerable<(string Name, string Value)> Headers()
    {
        for (var i = 0; i < _random.Next(3); i++)
        {
            yield return Pick(_headers);
        }
    }

    public static string Describe(HttpRequestMessage request, byte[] body)
        => $"{request.Method} {request.RequestUri} [{string.Join("; ", request.Headers.Select(h => $"{h.Key}: {string.Join(",", h.Value)}"))}] "
           + $"{request.Content?.Headers.ContentType} {Encoding.UTF8.GetString(body.AsSpan(0, Math.Min(body.Length, 300)))}";

    public static string Snippet(JsonElement e) => e.ToString().Length > 300 ? e.ToString()[..300] : e.ToString();

    public static AuthenticationHeaderValue Bearer(string token) => new("Bearer", token);
}
