using System.Text.RegularExpressions;
using Serilog.Core;
using Serilog.Events;

namespace RenderOwl.Api.Http;

/// <summary>
/// The logging pipeline's guard: properties named like secrets (password, token, api key, authorization,
/// cookie, e-mail …) are replaced by "***", and string values that look like a JWT, an API key, a refresh
/// token or an e-mail address are masked wherever they appear, however deep in a structured value. Control
/// characters (CR, LF, ESC and the rest of C0 and C1, and the Unicode line separators) in any string are
/// written as escapes (<c>\r</c>, <c>\n</c>, <c>\u001b</c>), so no value can end a log line early, forge
/// another, or drive a terminal: one event is one line in the text log as in the JSON log.
/// </summary>
public sealed partial class SensitiveDataMasking : ILogEventEnricher
{
    public const string Mask = "***";

    private static readonly HashSet<string> SensitiveNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "password", "newpassword", "currentpassword", "token", "accesstoken", "refreshtoken", "idtoken", "apikey", "xapikey",
        "key", "secret", "clientsecret", "authorization", "cookie", "setcookie", "email", "emailaddress", "signature",
    };

    [GeneratedRegex(@"(?<=/v1/shared/[0-9a-f]{32}\.[0-9]+\.[0-9]+\.)[A-Za-z0-9_-]+|eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]+|rok_(?:live|test)_[A-Za-z0-9_-]+|rt_[A-Za-z0-9_-]{20,}|[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}", RegexOptions.CultureInvariant)]
    private static partial Regex SecretLooking();

    /// <summary>
    /// Every match of <see cref="SecretLooking"/> contains "@" or one of these literals (the share path, "eyJ", "rok_",
    /// "rt_"): a string with none of them has nothing to mask, found by vectorised scans instead of the regex trying
    /// every position — the regex was 5 % of the API's CPU under load (docs/benchmarks.md). "@" is looked for on its
    /// own: a one-character value in the set makes <see cref="System.Buffers.SearchValues"/> fall back to a slow search.
    /// </summary>
    private static readonly System.Buffers.SearchValues<string> SecretMarkers =
        System.Buffers.SearchValues.Create(["/v1/shared/", "eyJ", "rok_", "rt_"], StringComparison.Ordinal);

    private static string MaskSecrets(string s)
        => s.Contains('@', StringComparison.Ordinal) || s.AsSpan().ContainsAny(SecretMarkers) ? SecretLooking().Replace(s, Mask) : s;

    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        List<LogEventProperty>? replaced = null;
        foreach (var (name, value) in logEvent.Properties)
        {
            var masked = IsSensitive(name) ? new ScalarValue(Mask) : MaskValue(value);
            if (!ReferenceEquals(masked, value))
            {
                (replaced ??= []).Add(new LogEventProperty(name, masked));
            }
        }
        if (replaced is not null)
        {
            foreach (var property in replaced)
            {
                logEvent.AddOrUpdateProperty(property);
            }
        }
    }

    /// <summary>Free text with every secret-looking value (JWT, API key, refresh token, e-mail address, a share link's signature) masked and controls escaped.</summary>
    public static string MaskText(string s) => EscapeControls(MaskSecrets(s));

    /// <summary>Whether a field of this name holds a secret (password, token, authorization, cookie, e-mail …), whatever its value.</summary>
    public static bool IsSensitiveName(string name) => IsSensitive(name);

    /// <summary>The string with every control character and line separator written as an escape; the same instance when there is none.</summary>
    public static string EscapeControls(string s)
    {
        var first = s.AsSpan().IndexOfAnyInRange('\0', '\u001f');
        if (first < 0 && !s.AsSpan().ContainsAnyInRange('\u007f', '\u009f') && !s.Contains('\u2028', StringComparison.Ordinal) && !s.Contains('\u2029', StringComparison.Ordinal))
        {
            return s;
        }
        var sb = new System.Text.StringBuilder(s.Length + 16);
        foreach (var c in s)
        {
            sb.Append(c switch
            {
                '\r' => "\\r",
                '\n' => "\\n",
                '\t' => "\\t",
                _ when char.IsControl(c) || c is '\u2028' or '\u2029' => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        }
        return sb.ToString();
    }

    /// <summary>The verdict for each property name seen (names come from code and templates: a few hundred at most; past 4,096 it is worked out each time).</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> NameVerdicts = new(StringComparer.Ordinal);

    private static int s_nameVerdictCount; // ConcurrentDictionary.Count takes every lock: counted here instead

    private static bool IsSensitive(string name)
    {
        if (NameVerdicts.TryGetValue(name, out var verdict))
        {
            return verdict;
        }
        verdict = SensitiveNames.Contains(name.AsSpan().ContainsAny('_', '-')
            ? name.Replace("_", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal)
            : name);
        if (Volatile.Read(ref s_nameVerdictCount) < 4096 && NameVerdicts.TryAdd(name, verdict))
        {
            Interlocked.Increment(ref s_nameVerdictCount);
        }
        return verdict;
    }

    /// <summary>The same instance when nothing needed masking.</summary>
    public static LogEventPropertyValue MaskValue(LogEventPropertyValue value) => value switch
    {
        // Scalars first and with no closure in this method: a lambda capturing a case's variable would allocate its
        // closure on every call, scalars included (40 B per property — 520 B per request-completed event).
        ScalarValue { Value: string s } => MaskString(value, s),
        ScalarValue => value,
        SequenceValue seq => MaskSequence(seq),
        StructureValue structure => MaskStructure(structure),
        DictionaryValue dictionary => MaskDictionary(dictionary),
        _ => value,
    };

    private static LogEventPropertyValue MaskString(LogEventPropertyValue value, string s)
    {
        var masked = EscapeControls(MaskSecrets(s));
        return ReferenceEquals(masked, s) || masked == s ? value : new ScalarValue(masked);
    }

    private static LogEventPropertyValue MaskSequence(SequenceValue seq)
    {
        var items = seq.Elements.Select(MaskValue).ToList();
        return items.Where((v, i) => !ReferenceEquals(v, seq.Elements[i])).Any() ? new SequenceValue(items) : seq;
    }

    private static LogEventPropertyValue MaskStructure(StructureValue structure)
    {
        var props = structure.Properties
            .Select(p => IsSensitive(p.Name) ? new LogEventProperty(p.Name, new ScalarValue(Mask)) : new LogEventProperty(p.Name, MaskValue(p.Value)))
            .ToList();
        return props.Where((p, i) => !ReferenceEquals(p.Value, structure.Properties[i].Value)).Any() ? new StructureValue(props, structure.TypeTag) : structure;
    }

    private static LogEventPropertyValue MaskDictionary(DictionaryValue dictionary)
    {
        var entries = dictionary.Elements.Select(kv => new KeyValuePair<ScalarValue, LogEventPropertyValue>(kv.Key,
            kv.Key.Value is string k && IsSensitive(k) ? new ScalarValue(Mask) : MaskValue(kv.Value))).ToList();
        return entries.Where((e, i) => !ReferenceEquals(e.Value, dictionary.Elements.ElementAt(i).Value)).Any() ? new DictionaryValue(entries) : dictionary;
    }
}
