using System.Text.RegularExpressions;
using Serilog.Core;
using Serilog.Events;

namespace RenderOwl.Api.Http;

/// <summary>
/// The logging pipeline's guard: properties named like secrets (password, token, api key, authorization,
/// cookie, e-mail …) are replaced by "***", and string values that look like a JWT, an API key, a refresh
/// token or an e-mail address are masked wherever they appear, however deep in a structured value.
/// </summary>
public sealed partial class SensitiveDataMasking : ILogEventEnricher
{
    public const string Mask = "***";

    private static readonly HashSet<string> SensitiveNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "password", "newpassword", "currentpassword", "token", "accesstoken", "refreshtoken", "idtoken", "apikey", "xapikey",
        "key", "secret", "clientsecret", "authorization", "cookie", "setcookie", "email", "emailaddress", "signature",
    };

    [GeneratedRegex(@"eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]+|rok_(?:live|test)_[A-Za-z0-9_-]+|rt_[A-Za-z0-9_-]{20,}|[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}", RegexOptions.CultureInvariant)]
    private static partial Regex SecretLooking();

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
        foreach (var property in replaced ?? [])
        {
            logEvent.AddOrUpdateProperty(property);
        }
    }

    private static bool IsSensitive(string name) => SensitiveNames.Contains(name.Replace("_", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal));

    /// <summary>The same instance when nothing needed masking.</summary>
    public static LogEventPropertyValue MaskValue(LogEventPropertyValue value)
    {
        switch (value)
        {
            case ScalarValue { Value: string s }:
                var masked = SecretLooking().Replace(s, Mask);
                return masked.Length == s.Length && masked == s ? value : new ScalarValue(masked);
            case SequenceValue seq:
            {
                var items = seq.Elements.Select(MaskValue).ToList();
                return items.Where((v, i) => !ReferenceEquals(v, seq.Elements[i])).Any() ? new SequenceValue(items) : value;
            }
            case StructureValue structure:
            {
                var props = structure.Properties
                    .Select(p => IsSensitive(p.Name) ? new LogEventProperty(p.Name, new ScalarValue(Mask)) : new LogEventProperty(p.Name, MaskValue(p.Value)))
                    .ToList();
                return props.Where((p, i) => !ReferenceEquals(p.Value, structure.Properties[i].Value)).Any() ? new StructureValue(props, structure.TypeTag) : value;
            }
            case DictionaryValue dictionary:
            {
                var entries = dictionary.Elements.Select(kv => new KeyValuePair<ScalarValue, LogEventPropertyValue>(kv.Key,
                    kv.Key.Value is string k && IsSensitive(k) ? new ScalarValue(Mask) : MaskValue(kv.Value))).ToList();
                return entries.Where((e, i) => !ReferenceEquals(e.Value, dictionary.Elements.ElementAt(i).Value)).Any() ? new DictionaryValue(entries) : value;
            }
            default:
                return value;
        }
    }
}
