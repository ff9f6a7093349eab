using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace RenderOwl.Api;

/// <summary>
/// Names, summaries and error responses of every operation, so that generated clients get method names
/// (<c>createProject</c>) and every operation documents its problems. A test fails when an operation lacks
/// one of them (OpenApiDocumentTests), so a new endpoint must be named here.
/// </summary>
public static class OpenApiOperations
{
    private static readonly Dictionary<string, (string Id, string Summary)> Names = new(StringComparer.Ordinal)
    {
        ["POST /v1/auth/register"] = ("register", "Create an account"),
        ["POST /v1/auth/login"] = ("login", "Sign in with e-mail and password"),
        ["POST /v1/auth/refresh"] = ("refreshSession", "Trade a refresh token for a new token pair"),
        ["POST /v1/auth/logout"] = ("logout", "End a session"),
        ["GET /v1/me"] = ("getMe", "The signed-in account, its limits and usage"),
        ["PATCH /v1/me"] = ("updateMe", "Change the account's name or e-mail notifications"),
        ["DELETE /v1/me"] = ("deleteMe", "Delete the account and everything it owns"),
        ["POST /v1/me/exports"] = ("createExport", "Export the account's data as a zip"),
        ["GET /v1/me/exports/{export_id}"] = ("getExport", "An export's status"),
        ["GET /v1/me/exports/{export_id}/download"] = ("downloadExport", "Download an export's zip"),
        ["POST /v1/api-keys"] = ("createApiKey", "Create an API key"),
        ["GET /v1/api-keys"] = ("listApiKeys", "List API keys"),
        ["GET /v1/api-keys/{key_id}"] = ("getApiKey", "Get an API key"),
        ["DELETE /v1/api-keys/{key_id}"] = ("revokeApiKey", "Revoke an API key"),
        ["GET /v1/projects"] = ("listProjects", "List projects"),
        ["POST /v1/projects"] = ("createProject", "Create a project"),
        ["GET /v1/projects/{project_id}"] = ("getProject", "Get a project"),
        ["PATCH /v1/projects/{project_id}"] = ("updateProject", "Update a project"),
        ["DELETE /v1/projects/{project_id}"] = ("deleteProject", "Delete a project"),
        ["POST /v1/projects/{project_id}/assets"] = ("createAsset", "Upload or import an asset"),
        ["GET /v1/projects/{project_id}/assets"] = ("listAssets", "List a project's assets"),
        ["GET /v1/assets/{asset_id}"] = ("getAsset", "Get an asset"),
        ["DELETE /v1/assets/{asset_id}"] = ("deleteAsset", "Delete an asset"),
        ["GET /v1/assets/{asset_id}/content"] = ("downloadAsset", "Download an asset's file"),
        ["POST /v1/projects/{project_id}/renders"] = ("submitRender", "Submit a render"),
        ["POST /v1/projects/{project_id}/renders/batch"] = ("submitRenderBatch", "Submit up to 100 renders at once"),
        ["POST /v1/projects/{project_id}/renders/validate"] = ("validateRender", "Dry-run a render: errors, layout warnings, resolved timeline, estimate"),
        ["GET /v1/projects/{project_id}/renders"] = ("listRenders", "List a project's renders"),
        ["GET /v1/renders/{render_id}"] = ("getRender", "Get a render"),
        ["POST /v1/renders/{render_id}/cancel"] = ("cancelRender", "Cancel a render"),
        ["GET /v1/renders/{render_id}/output"] = ("downloadRenderOutput", "Download a render's output"),
        ["GET /v1/renders/{render_id}/poster"] = ("getRenderPoster", "Download a video render's JPEG poster"),
        ["GET /v1/renders/{render_id}/thumbnails"] = ("getRenderThumbnails", "Download a render's contact sheet of thumbnails"),
        ["GET /v1/renders/{render_id}/manifest"] = ("getRenderManifest", "What made a render's output: hashes, settings, engine and arguments"),
        ["POST /v1/renders/{render_id}/share"] = ("shareRender", "Make a share link to a render's output"),
        ["DELETE /v1/renders/{render_id}/share"] = ("revokeRenderShareLinks", "Revoke every share link of a render"),
        ["GET /v1/shared/{token}"] = ("getSharedOutput", "Download a shared render output (no credentials)"),
        ["GET /v1/renders/{render_id}/events"] = ("listRenderEvents", "A render's status history, or a live stream of it"),
        ["GET /v1/templates"] = ("listTemplates", "List templates"),
        ["POST /v1/templates"] = ("createTemplate", "Create a template"),
        ["GET /v1/templates/{template_id}"] = ("getTemplate", "Get a template"),
        ["PATCH /v1/templates/{template_id}"] = ("updateTemplate", "Update a template"),
        ["DELETE /v1/templates/{template_id}"] = ("deleteTemplate", "Delete a template"),
        ["POST /v1/templates/{template_id}/resolve"] = ("resolveTemplate", "Preview a template's composition"),
        ["POST /v1/projects/{project_id}/webhooks"] = ("createWebhook", "Create a webhook endpoint (its secret is shown once)"),
        ["GET /v1/projects/{project_id}/webhooks"] = ("listWebhooks", "List a project's webhook endpoints"),
        ["GET /v1/webhooks/{webhook_id}"] = ("getWebhook", "Get a webhook endpoint"),
        ["PATCH /v1/webhooks/{webhook_id}"] = ("updateWebhook", "Update a webhook endpoint"),
        ["DELETE /v1/webhooks/{webhook_id}"] = ("deleteWebhook", "Delete a webhook endpoint"),
        ["POST /v1/webhooks/{webhook_id}/rotate-secret"] = ("rotateWebhookSecret", "Rotate an endpoint's secret (24 h overlap)"),
        ["POST /v1/webhooks/{webhook_id}/test"] = ("testWebhook", "Send a webhook.test event now"),
        ["GET /v1/webhooks/{webhook_id}/deliveries"] = ("listWebhookDeliveries", "An endpoint's delivery log"),
        ["GET /v1/webhooks/signing-secret"] = ("getSigningSecret", "The account's secret for renders' own webhook_url"),
        ["POST /v1/webhooks/signing-secret/rotate"] = ("rotateSigningSecret", "Rotate the account's signing secret (24 h overlap)"),
        ["GET /v1/renders/{render_id}/deliveries"] = ("listRenderDeliveries", "Every delivery of a render's events"),
        ["POST /v1/webhook-deliveries/{delivery_id}/redeliver"] = ("redeliverWebhook", "Deliver again now (same event id)"),
        ["GET /v1/notifications"] = ("listNotifications", "List notifications"),
        ["POST /v1/notifications/{notification_id}/read"] = ("markNotificationRead", "Mark a notification read"),
        ["POST /v1/notifications/read-all"] = ("markAllNotificationsRead", "Mark every notification read"),
        ["GET /v1/meta/errors"] = ("listErrorTypes", "Every problem type of the API"),
        ["PATCH /internal/accounts/{account_id}"] = ("updateAccount", "Admin: change an account's tier or role"),
        ["GET /internal/rate-limits/violations"] = ("listRateLimitViolations", "Admin: recorded rate-limit violations"),
        ["GET /internal/errors"] = ("listErrors", "Admin: server errors (5xx problems), newest first"),
        ["PATCH /internal/errors/{error_id}"] = ("updateError", "Admin: mark a server error resolved or open"),
        ["GET /internal/queues"] = ("getQueues", "Admin: queue figures"),
        ["GET /internal/cache/stats"] = ("getCacheStats", "Admin: cache hits and misses of this instance"),
        ["POST /internal/cache/clear"] = ("clearCache", "Admin: empty the cache on every instance, or drop one tag"),
        ["POST /internal/cache/reset-stats"] = ("resetCacheStats", "Admin: zero this instance's cache figures"),
        ["GET /internal/performance/routes"] = ("getRoutePerformance", "Admin: every route's figures over the sliding window"),
        ["GET /internal/performance/slow-routes"] = ("getSlowRoutes", "Admin: the ten routes with the highest p95"),
        ["GET /internal/performance/error-routes"] = ("getErrorRoutes", "Admin: routes with server errors, highest rate first"),
        ["GET /internal/performance/system"] = ("getSystemFigures", "Admin: uptime, request rate, CPU, memory, GC, thread pool"),
        ["GET /internal/db/queries"] = ("listQueryStatistics", "Admin: every normalised statement with its timings"),
        ["POST /internal/db/queries/reset"] = ("resetQueryStatistics", "Admin: forget the statement figures"),
        ["GET /internal/db/slow-queries"] = ("listSlowQueries", "Admin: the latest 100 slow executions"),
        ["GET /internal/db/pool"] = ("getPoolStats", "Admin: each connection pool's size and use"),
        ["GET /internal/db/stats"] = ("getDatabaseStats", "Admin: profiler health, N+1 suspects, table sizes, cache hit ratio"),
        ["POST /v1/analytics/events"] = ("ingestEvents", "Send up to 500 analytics events"),
        ["GET /v1/analytics/usage"] = ("getUsage", "Renders and events per hour or day"),
        ["GET /live"] = ("getLive", "Liveness probe"),
        ["GET /ready"] = ("getReady", "Readiness probe"),
        ["GET /health"] = ("getHealth", "Admin: every health check"),
        ["GET /health/{check}"] = ("getHealthCheck", "Admin: one health check"),
    };

    public static readonly Dictionary<string, string> TagDescriptions = new(StringComparer.Ordinal)
    {
        ["Auth"] = "Accounts and sessions: register, sign in, refresh, sign out.",
        ["Me"] = "The signed-in account.",
        ["Exports"] = "A copy of everything the account holds, as one zip kept 7 days.",
        ["ApiKeys"] = "Long-lived keys for servers (rok_live_…, rok_test_… for the sandbox).",
        ["Projects"] = "Projects group assets and renders.",
        ["Assets"] = "Images, video and audio used by compositions, typed by their content.",
        ["Renders"] = "Compositions queued, rendered by ffmpeg, and their outputs.",
        ["Templates"] = "Compositions with {{placeholders}}, rendered with modifications.",
        ["Shared"] = "Render outputs behind share links: anyone with a link may download until it expires or is revoked.",
        ["Webhooks"] = "Signed callbacks of render events: endpoints, secrets, the delivery log, redelivery.",
        ["Notifications"] = "In-app notifications of finished renders.",
        ["Meta"] = "What the API itself says about its problem types.",
        ["Internal"] = "Admin-only operations.",
        ["InternalPerformance"] = "Admin-only: this instance's per-route request figures and process figures.",
        ["InternalDatabase"] = "Admin-only: this instance's query profiler, connection pools and PostgreSQL's own figures.",
        ["Analytics"] = "Your own events in, your usage (renders and events per hour or day) out.",
        ["Probes"] = "Liveness, readiness and health for orchestrators and operators.",
    };

    public const string ProblemSchema = "Problem";

    /// <summary>RFC 9457 problem details as RenderOwl writes them.</summary>
    public static OpenApiSchema Problem() => new()
    {
        Type = JsonSchemaType.Object,
        Description = "An RFC 9457 problem. `type` ends in a slug listed by GET /v1/meta/errors.",
        Required = new HashSet<string> { "type", "title", "status" },
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["type"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "uri" },
            ["title"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer },
            ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["instance"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["trace_id"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["errors"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Array,
                Items = new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    Properties = new Dictionary<string, IOpenApiSchema>
                    {
                        ["field"] = new OpenApiSchema { Type = JsonSchemaType.String },
                        ["code"] = new OpenApiSchema { Type = JsonSchemaType.String },
                        ["message"] = new OpenApiSchema { Type = JsonSchemaType.String },
                    },
                },
            },
        },
    };

    public static bool TryName(string method, string path, out (string Id, string Summary) name) => Names.TryGetValue($"{method} {path}", out name);

    public static void Configure(OpenApiOptions o)
    {
        o.AddOperationTransformer((operation, context, _) =>
        {
            var method = context.Description.HttpMethod ?? "GET";
            var path = "/" + (context.Description.RelativePath ?? "").TrimEnd('/');
            if (TryName(method, path, out var name))
            {
                if (!string.IsNullOrEmpty(operation.Summary) && string.IsNullOrEmpty(operation.Description))
                {
                    operation.Description = operation.Summary; // the XML summary is the longer text
                }
                operation.OperationId = name.Id;
                operation.Summary = name.Summary;
            }
            var metadata = context.Description.ActionDescriptor.EndpointMetadata;
            var anonymous = metadata.OfType<IAllowAnonymous>().Any();
            var admin = metadata.OfType<AuthorizeAttribute>().Any(a => a.Policy == Auth.Policies.Admin || a.Roles == "admin");
            operation.Responses ??= new OpenApiResponses();
            Add(operation, "400", "The request is not valid (`validation-failed`, `invalid-id`, `malformed-json`, …).");
            if (!anonymous)
            {
                Add(operation, "401", "No valid credentials (`unauthorized`).");
                if (admin || Http.OperationalRoutes.IsAdminOnly(path))
                {
                    Add(operation, "403", "Not an admin (`forbidden`).");
                }
            }
            if (path.Contains('{', StringComparison.Ordinal))
            {
                Add(operation, "404", "No such resource of yours (`not-found`).");
            }
            if (path.StartsWith("/v1/", StringComparison.Ordinal))
            {
                Add(operation, "406", "`Accept` rules out JSON (`not-acceptable`).");
            }
            if (method is "POST" or "PATCH" or "PUT")
            {
                Add(operation, "413", "The body is too large (`payload-too-large`).");
                Add(operation, "415", "The body is not JSON (or the upload's type) this operation takes (`unsupported-media-type`).");
            }
            Add(operation, "429", "Over the rate limit (`rate-limited`), with `Retry-After`.");
            return Task.CompletedTask;
        });
    }

    private static void Add(OpenApiOperation operation, string status, string description)
    {
        if (operation.Responses!.ContainsKey(status))
        {
            return;
        }
        operation.Responses[status] = new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/problem+json"] = new() { Schema = new OpenApiSchemaReference(ProblemSchema) },
            },
        };
    }
}
