using Microsoft.Net.Http.Headers;
using RenderOwl.Application.Common.Errors;

namespace RenderOwl.Api.Http;

/// <summary>
/// 406 <c>not-acceptable</c> when a versioned request's <c>Accept</c> rules out everything the API answers with: JSON
/// (any parameters, e.g. <c>version=1</c>), problem JSON, an event stream, or — for downloads — the file's media.
/// No <c>Accept</c>, <c>*/*</c> or a browser's list with <c>*/*</c> is always fine. The problem itself is JSON.
/// </summary>
public sealed class AcceptNegotiationMiddleware(RequestDelegate next)
{
    private static readonly string[] Answers = ["application/json", "application/problem+json", "text/event-stream"];
    private static readonly string[] Files = ["video/*", "image/*", "audio/*", "application/octet-stream"];

    public async Task InvokeAsync(HttpContext http)
    {
        var accept = http.Request.Headers.Accept.ToString();
        if (accept.Length == 0 || OperationalRoutes.IsUnversioned(http.Request.Path) || Acceptable(accept, IsDownload(http.Request.Path)))
        {
            await next(http);
            return;
        }
        await Problems.WriteAsync(http, ErrorCatalog.NotAcceptable,
            $"'Accept: {Printable(accept)}' rules out JSON; the API answers with application/json (problems: application/problem+json).");
    }

    private static bool IsDownload(PathString path)
        => path.Value is { } p && (p.EndsWith("/content", StringComparison.Ordinal) || p.EndsWith("/output", StringComparison.Ordinal));

    private static bool Acceptable(string accept, bool download)
    {
        if (!MediaTypeHeaderValue.TryParseList([accept], out var ranges))
        {
            return true; // an unreadable header is not a reason to refuse: answer with JSON
        }
        // By media type alone: parameters (version=1, charset) never make JSON unacceptable.
        return ranges.Any(r => r.Quality is not 0 && r.MediaType.Value is { } range
            && (Answers.Any(a => Covers(range, a)) || (download && Files.Any(f => Covers(range, f) || Covers(f, range)))));
    }

    /// <summary>Whether <paramref name="range"/> (<c>*/*</c>, <c>type/*</c> or a type) covers <paramref name="type"/>.</summary>
    private static bool Covers(string range, string type)
        => range == "*/*" || string.Equals(range, type, StringComparison.OrdinalIgnoreCase)
            || (range.EndsWith("/*", StringComparison.Ordinal) && type.StartsWith(range[..^1], StringComparison.OrdinalIgnoreCase));

    private static string Printable(string value) => value.Length <= 100 ? JsonText.Printable(value) : JsonText.Printable(value[..100]) + "…";
}
