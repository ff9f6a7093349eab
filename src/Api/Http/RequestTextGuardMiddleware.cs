using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Microsoft.Net.Http.Headers;
using RenderOwl.Application.Common.Errors;
using RenderOwl.Application.Common.Json;

namespace RenderOwl.Api.Http;

/// <summary>
/// The boundary for text, before model binding: a JSON body must be UTF-8 (another charset is 415, bytes that
/// are not UTF-8 are 400 <c>malformed-json</c>); no string or property name anywhere in it, nor any query
/// parameter, may hold U+0000 or a lone surrogate (nor any header U+0000) (PostgreSQL cannot store the one, UTF-8 cannot carry the
/// other); and no object may name a property twice. One walk over every token, so no field is forgotten.
/// Syntax errors are left to the formatter, whose messages name the field.
/// </summary>
public sealed class RequestTextGuardMiddleware(RequestDelegate next, Microsoft.Extensions.Options.IOptions<RequestLimitsOptions> limits)
{
    // Over 60 lines on purpose: the checks of one request's text (query, headers, charset, body) in the order they answer.
    public async Task InvokeAsync(HttpContext http)
    {
        foreach (var (name, values) in http.Request.Headers)
        {
            if (values.Any(v => v is not null && v.Contains('\0', StringComparison.Ordinal)))
            {
                await Problems.WriteAsync(http, ErrorCatalog.BadRequest, $"The header '{JsonText.Printable(name)}' holds U+0000.");
                return;
            }
        }
        foreach (var (key, values) in http.Request.Query)
        {
            if (!JsonText.IsStorable(key) || values.Any(v => v is not null && !JsonText.IsStorable(v)))
            {
                await Problems.WriteAsync(http, ErrorCatalog.ValidationFailed, $"The query parameter '{JsonText.Printable(key)}' holds U+0000 or a lone surrogate.",
                    [new FieldError(JsonText.Printable(key), "invalid_character", "Query parameters may not hold U+0000 or lone surrogates.")]);
                return;
            }
        }
        if (http.Request.ContentType is not { } contentType || !MediaTypeHeaderValue.TryParse(contentType, out var media) || !IsJson(media))
        {
            await next(http);
            return;
        }
        if (media.Charset.HasValue && !media.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) && !media.Charset.Equals("utf8", StringComparison.OrdinalIgnoreCase))
        {
            await Problems.WriteAsync(http, ErrorCatalog.UnsupportedMediaType, $"JSON bodies are UTF-8; charset '{JsonText.Printable(media.Charset.Value ?? "")}' is not accepted.");
            return;
        }
        // A JSON body is held in memory here, so it gets the JSON limit even on a route that takes large uploads.
        var max = limits.Value.MaxBodyBytes;
        if (http.Request.ContentLength > max)
        {
            await Problems.WriteAsync(http, ErrorCatalog.PayloadTooLarge, $"A JSON body may be at most {max} bytes.");
            return;
        }
        http.Request.EnableBuffering();
        byte[] body;
        using (var copy = new MemoryStream())
        {
            var buffer = new byte[81920];
            int read;
            while ((read = await http.Request.Body.ReadAsync(buffer, http.RequestAborted)) > 0)
            {
                if (copy.Length + read > max)
                {
                    await Problems.WriteAsync(http, ErrorCatalog.PayloadTooLarge, $"A JSON body may be at most {max} bytes.");
                    return;
                }
                copy.Write(buffer, 0, read);
            }
            body = copy.ToArray();
        }
        http.Request.Body.Position = 0;
        if (!Utf8.IsValid(body))
        {
            await Problems.WriteAsync(http, ErrorCatalog.MalformedJson, "The body is not valid UTF-8.");
            return;
        }
        if (JsonText.FindProblem(body) is { } problem)
        {
            await Problems.WriteAsync(http, ErrorCatalog.ValidationFailed, problem.Message, [problem]);
            return;
        }
        await next(http);
    }

    private static bool IsJson(MediaTypeHeaderValue media)
        => media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) || media.MediaType.Equals("text/json", StringComparison.OrdinalIgnoreCase)
            || media.SubTypeWithoutSuffix.HasValue && media.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase);
}

/// <summary>The token walk of <see cref="RequestTextGuardMiddleware"/>: paths in the API's field notation (<c>a.b[0].c</c>).</summary>
public static class JsonText
{
    public static bool IsStorable(string s)
    {
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (c == '\0' || (char.IsLowSurrogate(c) && (i == 0 || !char.IsHighSurrogate(s[i - 1])))
                || (char.IsHighSurrogate(c) && (i + 1 == s.Length || !char.IsLowSurrogate(s[i + 1]))))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>A string fit for a message: control characters and surrogates shown as \uXXXX.</summary>
    public static string Printable(string s)
    {
        var sb = new StringBuilder(s.Length);
        foreach (var c in s)
        {
            sb.Append(char.IsControl(c) || char.IsSurrogate(c) ? $"\\u{(int)c:x4}" : c);
        }
        return sb.ToString();
    }

    /// <summary>The first U+0000, lone surrogate, repeated property or nesting past <see cref="ApiJson.MaxDepth"/>, or null (also for a syntax error: MVC reports those).</summary>
    public static FieldError? FindProblem(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 256, CommentHandling = JsonCommentHandling.Disallow });
        var path = new List<Frame>();
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject or JsonTokenType.StartArray:
                        Advance(path);
                        if (path.Count == ApiJson.MaxDepth)
                        {
                            var at = Path(path);
                            return new FieldError(at.Length == 0 ? "body" : at, "too_deep", $"JSON may be nested at most {ApiJson.MaxDepth} levels deep.");
                        }
                        path.Add(new Frame(reader.TokenType == JsonTokenType.StartArray));
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        path.RemoveAt(path.Count - 1);
                        break;
                    case JsonTokenType.PropertyName:
                        var name = Text(ref reader);
                        var frame = path[^1];
                        frame.Name = name;
                        if (name is null)
                        {
                            return Invalid(Path(path));
                        }
                        if (!frame.Names.Add(name))
                        {
                            return new FieldError(Path(path), "duplicate_property", $"'{Printable(name)}' is given twice; send each property once.");
                        }
                        break;
                    default:
                        Advance(path);
                        if (reader.TokenType == JsonTokenType.String && Text(ref reader) is null)
                        {
                            return Invalid(Path(path));
                        }
                        break;
                }
            }
        }
        catch (JsonException)
        {
            return null;
        }
        return null;
    }

    private static FieldError Invalid(string field)
        => new(field.Length == 0 ? "body" : field, "invalid_character", $"'{(field.Length == 0 ? "body" : field)}' holds U+0000 or a lone surrogate, which cannot be stored.");

    /// <summary>The token's text, or null when it holds U+0000 or a lone surrogate.</summary>
    private static string? Text(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped)
        {
            return reader.GetString(); // valid UTF-8 without escapes can hold neither
        }
        try
        {
            var s = reader.GetString()!;
            return IsStorable(s) ? s : null;
        }
        catch (InvalidOperationException)
        {
            return null; // an escaped lone surrogate cannot be transcoded
        }
    }

    private static void Advance(List<Frame> path)
    {
        if (path.Count > 0 && path[^1].IsArray)
        {
            path[^1].Index++;
        }
    }

    private static string Path(List<Frame> path)
    {
        var sb = new StringBuilder();
        foreach (var f in path)
        {
            if (f.IsArray)
            {
                if (f.Index >= 0)
                {
                    sb.Append('[').Append(f.Index).Append(']');
                }
            }
            else if (f.Name is not null)
            {
                sb.Append(sb.Length == 0 ? "" : ".").Append(Printable(f.Name));
            }
        }
        return sb.ToString();
    }

    private sealed class Frame(bool isArray)
    {
        public bool IsArray { get; } = isArray;
        public int Index { get; set; } = -1;
        public string? Name { get; set; }
        public HashSet<string> Names { get; } = new(StringComparer.Ordinal);
    }
}
