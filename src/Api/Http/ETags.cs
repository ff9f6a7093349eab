using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Microsoft.Net.Http.Headers;

namespace RenderOwl.Api.Http;

/// <summary>
/// Strong ETags: a hash of the exact JSON bytes of a representation. Controllers use <see cref="For"/> to check
/// If-Match against the representation they would return; the response finalizer hashes GET bodies the same way.
/// </summary>
public sealed class ETags(IOptions<Microsoft.AspNetCore.Mvc.JsonOptions> mvcJson)
{
    private readonly JsonSerializerOptions _json = mvcJson.Value.JsonSerializerOptions;

    public static string Of(ReadOnlySpan<byte> body)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(body, hash);
        return "\"" + Base64UrlEncoder.Encode(hash[..18].ToArray()) + "\"";
    }

    public string For<T>(T representation) => Of(JsonSerializer.SerializeToUtf8Bytes(representation, _json));

    /// <summary>True when an If-Match header is present and none of its tags is the current one.</summary>
    public static bool IfMatchFails(HttpRequest request, string current)
    {
        var header = request.Headers.IfMatch;
        if (header.Count == 0)
        {
            return false;
        }
        if (!EntityTagHeaderValue.TryParseList(header, out var tags))
        {
            return true;
        }
        return !tags.Any(t => t.Equals(EntityTagHeaderValue.Any) || (!t.IsWeak && t.Tag.Equals(current, StringComparison.Ordinal)));
    }

    public static bool IfNoneMatchHits(HttpRequest request, string current)
    {
        var header = request.Headers.IfNoneMatch;
        if (header.Count == 0 || !EntityTagHeaderValue.TryParseList(header, out var tags))
        {
            return false;
        }
        // Weak comparison (RFC 9110 §13.1.2): W/"x" matches "x".
        return tags.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Tag.Equals(current, StringComparison.Ordinal));
    }
}
