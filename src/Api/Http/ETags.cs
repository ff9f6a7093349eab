using System.IO.Hashing;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace RenderOwl.Api.Http;

/// <summary>
/// Strong ETags: a hash of the exact JSON bytes of a representation. Controllers use <see cref="For"/> to check
/// If-Match against the representation they would return; the response finalizer hashes GET bodies the same way.
/// The hash is XXH3-128 (System.IO.Hashing): a validator needs no secrecy, only that distinct bodies get distinct tags,
/// and 128 bits give that; SHA-256 went through OpenSSL on every GET (its per-call setup was ~2 % of a cached read).
/// </summary>
public sealed class ETags(IOptions<Microsoft.AspNetCore.Mvc.JsonOptions> mvcJson)
{
    private readonly JsonSerializerOptions _json = mvcJson.Value.JsonSerializerOptions;

    public static string Of(ReadOnlySpan<byte> body)
    {
        Span<byte> hash = stackalloc byte[16];
        XxHash128.Hash(body, hash);
        return Quoted(hash);
    }

    /// <summary>As <see cref="Of(ReadOnlySpan{byte})"/> for a body held in several buffers (a pooled response buffer).</summary>
    public static string Of(System.Buffers.ReadOnlySequence<byte> body)
    {
        if (body.IsSingleSegment)
        {
            return Of(body.FirstSpan);
        }
        var xx = new XxHash128();
        foreach (var segment in body)
        {
            xx.Append(segment.Span);
        }
        Span<byte> hash = stackalloc byte[16];
        xx.GetCurrentHash(hash);
        return Quoted(hash);
    }

    // The 16 bytes of the hash, base64url (22 characters), in quotes.
    private static string Quoted(ReadOnlySpan<byte> hash)
    {
        Span<char> chars = stackalloc char[24];
        chars[0] = '"';
        System.Buffers.Text.Base64Url.EncodeToChars(hash, chars[1..23]);
        chars[23] = '"';
        return new string(chars);
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
