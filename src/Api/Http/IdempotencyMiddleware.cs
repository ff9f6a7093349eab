using System.Security.Cryptography;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Errors;

namespace RenderOwl.Api.Http;

/// <summary>
/// <c>Idempotency-Key</c> on every authenticated POST: same account + key + same request → the first response
/// replayed with <c>Idempotent-Replayed: true</c>; another body → 422; while the first runs → 409. Faults (5xx)
/// are not stored, so a retry runs again. Anonymous POSTs (register, login) are not covered.
/// </summary>
public sealed class IdempotencyMiddleware(RequestDelegate next, IIdempotencyStore store)
{
    public const string Header = "Idempotency-Key";
    private static readonly string[] ReplayedHeaders = ["Location", "Content-Type", "ETag"];

    // Over 60 lines on purpose: claim, replay or run, then store or abandon — one flow whose finally must see every branch.
    public async Task InvokeAsync(HttpContext http)
    {
        if (!HttpMethods.IsPost(http.Request.Method) || !http.Request.Headers.TryGetValue(Header, out var values))
        {
            await next(http);
            return;
        }
        var key = values.ToString();
        if (key.Length is 0 or > 255)
        {
            await Problems.WriteAsync(http, ErrorCatalog.ValidationFailed, "Idempotency-Key must be 1–255 characters.",
                [new FieldError(Header, "invalid_length", "Idempotency-Key must be 1–255 characters.")]);
            return;
        }
        var scope = http.User.FindFirst("sub")?.Value;
        if (scope is null)
        {
            await next(http);
            return;
        }
        var hash = await HashRequestAsync(http.Request);
        switch (await store.ClaimAsync(scope, key, hash, http.RequestAborted))
        {
            case IdempotencyClaim.DifferentRequest:
                await Problems.WriteAsync(http, ErrorCatalog.IdempotencyKeyReused, "This Idempotency-Key was used with a different request.");
                return;
            case IdempotencyClaim.InFlight:
                await Problems.WriteAsync(http, ErrorCatalog.IdempotencyKeyInUse, "A request with this Idempotency-Key is still being processed.");
                return;
            case IdempotencyClaim.Replay replay:
                http.Response.StatusCode = replay.Status;
                foreach (var (name, value) in replay.Headers)
                {
                    http.Response.Headers[name] = value;
                }
                http.Response.Headers["Idempotent-Replayed"] = "true";
                await http.Response.Body.WriteAsync(replay.Body, http.RequestAborted);
                return;
        }

        var original = http.Response.Body;
        using var capture = new MemoryStream();
        http.Response.Body = capture;
        var stored = false;
        try
        {
            await next(http);
            if (http.Response.StatusCode < 500)
            {
                var headers = ReplayedHeaders.Where(h => http.Response.Headers.ContainsKey(h))
                    .ToDictionary(h => h, h => http.Response.Headers[h].ToString());
                await store.CompleteAsync(scope, key, http.Response.StatusCode, headers, capture.ToArray());
                stored = true;
            }
        }
        finally
        {
            http.Response.Body = original;
            if (!stored)
            {
                await store.AbandonAsync(scope, key);
            }
        }
        capture.Position = 0;
        await capture.CopyToAsync(original, http.RequestAborted);
    }

    /// <summary>Method, path and body (streamed, buffered to disk when large) → SHA-256.</summary>
    private static async Task<string> HashRequestAsync(HttpRequest request)
    {
        request.EnableBuffering(bufferThreshold: 64 * 1024);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(System.Text.Encoding.UTF8.GetBytes(request.Method + " " + request.Path + request.QueryString + "\n"));
        var buffer = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(buffer, request.HttpContext.RequestAborted)) > 0)
        {
            sha.AppendData(buffer, 0, read);
        }
        request.Body.Position = 0;
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }
}
