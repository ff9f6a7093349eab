namespace RenderOwl.Application.Common.Errors;

/// <summary>A problem type: <c>https://api.renderowl.com/errors/{Slug}</c>.</summary>
public sealed record ErrorType(string Slug, int Status, string Title, string Description);

/// <summary>
/// The one registry of problem types. docs/errors.md and <c>GET /v1/meta/errors</c> are generated from it;
/// a test keeps docs/errors.md in step.
/// </summary>
public static class ErrorCatalog
{
    public const string TypeBase = "https://api.renderowl.com/errors/";

    public static readonly ErrorType ValidationFailed = new("validation-failed", 400, "The request is not valid",
        "One or more fields are invalid; `errors` lists each with its JSON path (`field`), a `code` and a `message`. Malformed JSON, a value of the wrong type and JSON nested deeper than 32 levels are reported here too.");
    public static readonly ErrorType MalformedJson = new("malformed-json", 400, "Malformed JSON body",
        "The body is not UTF-8 or not JSON. Send UTF-8 encoded JSON (`Content-Type: application/json`).");
    public static readonly ErrorType InvalidId = new("invalid-id", 400, "Malformed identifier",
        "An id in the path is not of the form `<prefix>_<26 base32 characters>` expected for that resource.");
    public static readonly ErrorType InvalidCursor = new("invalid-cursor", 400, "Invalid pagination cursor",
        "The `cursor` was not issued by this API or was altered. Start again from the first page.");
    public static readonly ErrorType PaginationTooDeep = new("pagination-too-deep", 400, "Page too deep for offset pagination",
        "Offset pagination is allowed while `(page-1)*page_size < 1000`. Continue with the `cursor` parameter (every page's `metadata.next_cursor`).");
    public static readonly ErrorType UnsupportedApiVersion = new("unsupported-api-version", 400, "Unsupported API version",
        "The version asked for by path, `Accept: application/json;version=N`, `API-Version` or `?api-version=` is not served.");
    public static readonly ErrorType BadRequest = new("bad-request", 400, "Bad request",
        "The request could not be understood (for example a malformed header).");
    public static readonly ErrorType Unauthorized = new("unauthorized", 401, "Authentication required",
        "No valid credentials were presented. Send `Authorization: Bearer <access token>`; the response carries `WWW-Authenticate`.");
    public static readonly ErrorType InvalidCredentials = new("invalid-credentials", 401, "Invalid credentials",
        "The e-mail address and password do not match an account.");
    public static readonly ErrorType InvalidRefreshToken = new("invalid-refresh-token", 401, "Invalid refresh token",
        "The refresh token is unknown, expired or revoked. Presenting a token that was already rotated revokes its whole family: log in again.");
    public static readonly ErrorType ReauthRequired = new("reauth-required", 401, "Recent sign-in required",
        "This action needs a session signed in within `Auth:ReauthMaxAgeMinutes`, or the account's current password in `current_password`. Sign in again, or send the password.");
    public static readonly ErrorType Forbidden = new("forbidden", 403, "Forbidden",
        "The credentials are valid but do not allow this operation (for example an admin-only route).");
    public static readonly ErrorType NotFound = new("not-found", 404, "Not found",
        "No such resource, or it belongs to another account.");
    public static readonly ErrorType MethodNotAllowed = new("method-not-allowed", 405, "Method not allowed",
        "The resource exists but does not support this HTTP method.");
    public static readonly ErrorType NotAcceptable = new("not-acceptable", 406, "Not acceptable",
        "The API cannot produce a representation matching `Accept`.");
    public static readonly ErrorType Conflict = new("conflict", 409, "Conflict",
        "The request conflicts with the current state of the resource.");
    public static readonly ErrorType EmailTaken = new("email-taken", 409, "E-mail address already registered",
        "An account with this e-mail address exists. Log in instead.");
    public static readonly ErrorType PreconditionFailed = new("precondition-failed", 412, "Precondition failed",
        "`If-Match` did not match the current `ETag` of the resource: it changed since you read it. GET it again and retry.");
    public static readonly ErrorType PayloadTooLarge = new("payload-too-large", 413, "Request body too large",
        "The request body exceeds the limit for this endpoint (10 MiB for JSON bodies).");
    public static readonly ErrorType UriTooLong = new("uri-too-long", 414, "URI too long",
        "The request target exceeds 2048 characters.");
    public static readonly ErrorType UnsupportedMediaType = new("unsupported-media-type", 415, "Unsupported media type",
        "The request body must be `application/json` for this endpoint.");
    public static readonly ErrorType HeadersTooLarge = new("request-header-fields-too-large", 431, "Request headers too large",
        "The request headers exceed 8 KiB in total.");
    public static readonly ErrorType UnsupportedMedia = new("unsupported-media", 400, "Unsupported media",
        "The file is not one of png, jpeg, webp, gif, mp4, webm, mov, mp3, wav, ogg, an SRT or WebVTT subtitle file, or a TTF/OTF font by its content (the name and declared type do not count), cannot be read, or is an image too large to decode safely.");
    public static readonly ErrorType ShareLinkExpired = new("share-link-expired", 410, "The share link has expired",
        "Share links work until the `expires_at` they were made with. Ask the render's owner for a new one.");
    public static readonly ErrorType ShareLinkRevoked = new("share-link-revoked", 410, "The share link was revoked",
        "The render's owner revoked its share links (`DELETE /v1/renders/{render_id}/share`). Ask for a new one.");
    public static readonly ErrorType UrlNotAllowed = new("url-not-allowed", 400, "URL not allowed",
        "The URL is not http(s), or it (or a redirect) leads to a loopback, private, link-local, metadata or otherwise non-public address.");
    public static readonly ErrorType FetchFailed = new("fetch-failed", 422, "The URL could not be fetched",
        "The remote server did not answer with the file in time (10 s to first byte), answered with an error, or redirected more than 3 times.");
    public static readonly ErrorType RenderQuotaExceeded = new("render-quota-exceeded", 429, "Render quota exceeded",
        "Your tier's renders per hour are used up. `Retry-After` says when the next one may be submitted.");
    public static readonly ErrorType RenderNotFinished = new("render-not-finished", 409, "The render has no output",
        "The output exists only once the render has succeeded.");
    public static readonly ErrorType OutputExpired = new("output-expired", 410, "The output has expired",
        "Render outputs are kept for a limited time (30 days unless configured otherwise); the render and its output's figures remain, the file does not. Submit the render again.");
    public static readonly ErrorType RenderFinished = new("render-finished", 409, "The render is finished",
        "A render that succeeded, failed or was canceled cannot be canceled.");
    public static readonly ErrorType AssetInUse = new("asset-in-use", 409, "The asset is in use",
        "A queued or running render uses this asset. Cancel it or wait for it to finish.");
    public static readonly ErrorType ExportInProgress = new("export-in-progress", 409, "An export is already being built",
        "The account has an export that is queued or running; poll it (its id is in the detail) and download it when it has succeeded.");
    public static readonly ErrorType ExportNotReady = new("export-not-ready", 409, "The export has no file",
        "The export is queued, running or failed; its file can be downloaded once its status is succeeded.");
    public static readonly ErrorType IdempotencyKeyReused = new("idempotency-key-reused", 422, "Idempotency key reused",
        "This Idempotency-Key was used with a different request body. Use a new key for a new request.");
    public static readonly ErrorType IdempotencyKeyInUse = new("idempotency-key-in-use", 409, "Idempotency key in use",
        "A request with this Idempotency-Key is still being processed. Retry after it completes.");
    public static readonly ErrorType RateLimited = new("rate-limited", 429, "Too many requests",
        "The rate limit of your tier was exceeded. Wait for `Retry-After` seconds.");
    public static readonly ErrorType InternalError = new("internal-error", 500, "Internal server error",
        "An unexpected fault. It was logged with the `trace_id` of this response; quote it when reporting the problem.");
    public static readonly ErrorType ServiceUnavailable = new("service-unavailable", 503, "Service unavailable",
        "A dependency (database, Redis) is unreachable or migrations are pending. Retry later.");

    public static IReadOnlyList<ErrorType> All { get; } =
    [
        ValidationFailed, MalformedJson, InvalidId, InvalidCursor, PaginationTooDeep, UnsupportedApiVersion, BadRequest,
        Unauthorized, InvalidCredentials, InvalidRefreshToken, ReauthRequired, Forbidden, NotFound, MethodNotAllowed, NotAcceptable,
        UnsupportedMedia, UrlNotAllowed, Conflict, EmailTaken, PreconditionFailed, PayloadTooLarge, UriTooLong, UnsupportedMediaType, FetchFailed, RenderQuotaExceeded, RenderNotFinished, OutputExpired, ShareLinkExpired, ShareLinkRevoked, RenderFinished, AssetInUse, ExportInProgress, ExportNotReady, IdempotencyKeyReused, IdempotencyKeyInUse, RateLimited,
        HeadersTooLarge, InternalError, ServiceUnavailable,
    ];

    public static string TypeUri(ErrorType type) => TypeBase + type.Slug;

    /// <summary>The default problem type for a status code that was produced without a typed exception.</summary>
    public static ErrorType ForStatus(int status) => status switch
    {
        400 => BadRequest,
        401 => Unauthorized,
        403 => Forbidden,
        404 => NotFound,
        405 => MethodNotAllowed,
        406 => NotAcceptable,
        409 => Conflict,
        412 => PreconditionFailed,
        413 => PayloadTooLarge,
        414 => UriTooLong,
        415 => UnsupportedMediaType,
        429 => RateLimited,
        431 => HeadersTooLarge,
        503 => ServiceUnavailable,
        _ => InternalError,
    };

    public static string ToMarkdown()
    {
        var sb = new System.Text.StringBuilder();
        sb.AppendLine("# Problem types");
        sb.AppendLine();
        sb.AppendLine("Every error is an RFC 9457 `application/problem+json` body whose `type` is `" + TypeBase + "<slug>`.");
        sb.AppendLine("This file is generated from `ErrorCatalog` (src/Application/Common/Errors); `GET /v1/meta/errors` serves the same list.");
        sb.AppendLine("Regenerate with `make docs`; a test fails when it is out of date.");
        sb.AppendLine();
        sb.AppendLine("| slug | status | title | meaning |");
        sb.AppendLine("| --- | --- | --- | --- |");
        foreach (var e in All)
        {
            sb.AppendLine($"| `{e.Slug}` | {e.Status} | {e.Title} | {e.Description.Replace("|", "\\|", StringComparison.Ordinal)} |");
        }
        return sb.ToString();
    }
}
