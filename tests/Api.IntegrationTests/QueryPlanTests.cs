using System.Net;
using System.Text.RegularExpressions;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using RenderOwl.Api.IntegrationTests.Infrastructure;
using RenderOwl.Application.Operations;

namespace RenderOwl.Api.IntegrationTests;

/// <summary>
/// With 100,000 rows in each hot table, every statement behind the list routes, the dispatcher's claim, the usage
/// query and the retention deletes is planned on an index: auto_explain logs each real plan (with its parameters and
/// the statements inside functions), and none may read a hot table whole.
/// </summary>
public sealed partial class QueryPlanTests(ApiFixture fixture) : ApiTest(fixture)
{
    private const int Rows = 100_000;

    /// <summary>The hot tables (by relation name; a partition counts as its table).</summary>
    private static readonly HashSet<string> Hot =
    [
        "users", "projects", "assets", "templates", "renders", "render_events", "notifications", "api_keys", "refresh_tokens",
        "endpoints", "deliveries", "outbox", "rate_limit_violations", "events", "hourly", "error_logs", "sent_emails",
    ];

    [GeneratedRegex(@"\{([a-z_]+)\}")]
    private static partial Regex PathParameter();

    [GeneratedRegex(@"^SELECT count\(\*\)::int FROM [a-z_]+\.[a-z_]+ AS [a-z0-9]+( WHERE (?:(?!LIMIT).)*)?$|^SELECT count\(\*\) FROM [a-z_]+\.[a-z_]+ AS [a-z0-9]+( WHERE (?:(?!LIMIT).)*)?$", RegexOptions.Singleline)]
    private static partial Regex FullCount();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"_(p[0-9]{8}|y[0-9]{4}m[0-9]{2})$")]
    private static partial Regex PartitionSuffix();

    [Fact]
    public async Task With_100000_rows_per_hot_table_lists_the_claim_usage_and_retention_use_indexes()
    {
        var explained = PlanLog.Explained(Fixture.ConnectionString);
        await using var api = Fixture.CreateFactory(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Primary"] = explained,
            ["ConnectionStrings:Replica"] = explained,
        });
        var admin = await this.RegisterAdminAsync(Fixture, api.CreateClient);
        var a = await this.RegisterUserAsync(api.CreateClient);
        var ids = await AccountResources.OneOfEachAsync(a.Client);
        ids["account_id"] = a.UserId;
        ids["check"] = "database";
        ids["token"] = "no-such-link"; // a share link: refused before any query (a real one reads its render by primary key)
        await SeedAsync();

        var log = await PlanLog.StartAsync(Fixture.ConnectionString);
        var walked = await WalkEveryGetAsync(api, a.Client, admin, ids);
        Assert.True(walked >= 25, $"only {walked} GET routes were walked");
        var usage = await a.Client.GetAsync($"/v1/analytics/usage?granularity=day&from={DateTimeOffset.UtcNow.AddDays(-30):yyyy-MM-ddTHH:00:00Z}");
        Assert.Equal(HttpStatusCode.OK, usage.StatusCode);
        await using (var connection = new NpgsqlConnection(explained))
        {
            // The dispatcher's claim (a function: its statements are planned inside it), undone after.
            await connection.OpenAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            await using var claim = new NpgsqlCommand("SELECT count(*) FROM rendering.claim_renders('plan-test', 60, 4)", connection, transaction);
            Assert.True((long)(await claim.ExecuteScalarAsync())! > 0, "the claim found queued renders to take");
            await transaction.RollbackAsync();
        }
        var removed = await api.Services.GetRequiredService<ISender>().Send(new ApplyRetentionCommand());
        foreach (var policy in new[] { "notifications", "renders", "webhook_deliveries", "rate_limit_violations", "sent_emails", "refresh_tokens", "webhook_outbox", "error_logs" })
        {
            Assert.True(removed[policy] >= 1500, $"retention {policy} removed {removed[policy]}");
        }

        var plans = await log.ReadAsync();
        Assert.Contains(plans, p => p.Query.Contains("FROM projects.projects", StringComparison.Ordinal) && p.Query.Contains("LIMIT", StringComparison.Ordinal));
        Assert.Contains(plans, p => p.Query.Contains("analytics.hourly", StringComparison.Ordinal));
        Assert.Contains(plans, p => p.Query.Contains("WITH RECURSIVE owners", StringComparison.Ordinal)); // inside the claim
        Assert.Contains(plans, p => p.Query.StartsWith("DELETE FROM notifications.notifications", StringComparison.Ordinal));
        // Exempt by design: the total of a list longer than 1,000 rows (Paginator.ExactCountCap) is one full count, kept a
        // few minutes in the cache and flagged total_exact: false — not a per-request read.
        var scans = plans.Where(p => !FullCount().IsMatch(Whitespace().Replace(p.Query, " ").Trim()))
            .SelectMany(p => PlanLog.SeqScans(p.Plan).Select(relation => (Relation: relation, p.Query)))
            .Where(s => Hot.Contains(PartitionSuffix().Replace(s.Relation, "")))
            .DistinctBy(s => s.Query).ToList();
        Assert.True(scans.Count == 0, $"{scans.Count} statement(s) read a hot table whole:\n{PlanLog.Report(scans)}");
    }

    /// <summary>Every GET of the OpenAPI document (admin routes as the admin), and a list's next page by its cursor.</summary>
    private static async Task<int> WalkEveryGetAsync(ApiFactory api, HttpClient a, HttpClient admin, Dictionary<string, string> ids)
    {
        var document = await (await api.CreateClient().GetAsync("/openapi/v1.json")).ReadJsonAsync();
        var walked = 0;
        foreach (var (path, operations) in document["paths"]!.AsObject())
        {
            if (!operations!.AsObject().ContainsKey("get") || path.EndsWith("/download", StringComparison.Ordinal) || path.EndsWith("/content", StringComparison.Ordinal))
            {
                continue;
            }
            var url = PathParameter().Replace(path, m => ids[m.Groups[1].Value]);
            var client = path.StartsWith("/internal", StringComparison.Ordinal) || path.StartsWith("/health", StringComparison.Ordinal) ? admin : a;
            var response = await client.GetAsync(url);
            Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.NotFound or HttpStatusCode.Conflict or HttpStatusCode.ServiceUnavailable,
                $"GET {url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            walked++;
            if (response.StatusCode == HttpStatusCode.OK && response.Content.Headers.ContentType?.MediaType == "application/json"
                && (await response.ReadJsonAsync()) is System.Text.Json.Nodes.JsonObject body && body["next_cursor"]?.GetValue<string>() is { } cursor)
            {
                Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"{url}{(url.Contains('?', StringComparison.Ordinal) ? '&' : '?')}page_size=1&cursor={Uri.EscapeDataString(cursor)}")).StatusCode);
            }
            if (response.StatusCode == HttpStatusCode.OK && path is "/v1/projects" or "/v1/notifications" or "/internal/errors" or "/internal/rate-limits/violations")
            {
                var first = await (await client.GetAsync($"{url}?page_size=1")).ReadJsonAsync();
                if (first["next_cursor"]?.GetValue<string>() is { } next)
                {
                    Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"{url}?page_size=1&cursor={Uri.EscapeDataString(next)}")).StatusCode);
                }
            }
        }
        return walked;
    }

    /// <summary>100,000 rows in each hot table, of 100,000 other accounts, spread over the last weeks; then ANALYZE.</summary>
    private async Task SeedAsync()
    {
        var n = Rows;
        await Database.ExecuteAsync(Fixture, timeout: TimeSpan.FromMinutes(5), sql: $$"""
            SET synchronous_commit = off;
            INSERT INTO identity.users (id, email, name, password_hash, tier, role, created_at, updated_at)
            SELECT md5('u' || g)::uuid, 'seed-' || g || '@example.com', 'Seed', 'x', 'Free', 'User', now() - make_interval(secs => g * 20), now()
            FROM generate_series(1, {{n}}) g;
            INSERT INTO projects.projects (id, owner_id, name, render_count, created_at, updated_at)
            SELECT md5('p' || g)::uuid, md5('u' || g)::uuid, 'Seed project', 1, now() - make_interval(secs => g * 20), now() FROM generate_series(1, {{n}}) g;
            INSERT INTO assets.assets (id, project_id, owner_id, kind, content_type, size_bytes, sha256, storage_key, created_at)
            SELECT md5('a' || g)::uuid, md5('p' || g)::uuid, md5('u' || g)::uuid, 'Image', 'image/png', 100, md5('a' || g), 'seed/' || g, now() - make_interval(secs => g * 20)
            FROM generate_series(1, {{n}}) g;
            INSERT INTO templates.templates (id, owner_id, name, composition, created_at, updated_at)
            SELECT md5('t' || g)::uuid, md5('u' || g)::uuid, 'Seed', '{}', now() - make_interval(secs => g * 20), now() FROM generate_series(1, {{n}}) g;
            INSERT INTO rendering.renders (id, project_id, owner_id, status, priority, attempts, max_attempts, concurrency_cap, composition, watermark, tags,
                metadata, asset_ids, progress, created_at, queued_at, next_attempt_at, finished_at, cancel_requested, output_settings)
            SELECT md5('r' || g)::uuid, md5('p' || g)::uuid, md5('u' || g)::uuid, CASE WHEN g % 50 = 0 THEN 'Queued' ELSE 'Succeeded' END, 1, 1, 3, 2, '{}', false, '{}',
                '{}', '{}', 100, now() - make_interval(secs => g * 20), now() - make_interval(secs => g * 20), now() - make_interval(secs => g * 20),
                CASE WHEN g % 50 = 0 THEN NULL ELSE now() - make_interval(secs => g * 20) END, false, '{}'
            FROM generate_series(1, {{n}}) g;
            INSERT INTO rendering.render_events (render_id, status, attempt, occurred_at)
            SELECT md5('r' || g)::uuid, 'Succeeded', 1, now() - make_interval(secs => g * 20) FROM generate_series(1, {{n}}) g;
            INSERT INTO notifications.notifications (id, user_id, type, title, data, created_at)
            SELECT md5('n' || g)::uuid, md5('u' || g)::uuid, 'seed', 'Seed', '{}', now() - make_interval(secs => g * 90) FROM generate_series(1, {{n}}) g;
            INSERT INTO identity.api_keys (id, user_id, name, mode, prefix, key_hash, created_at)
            SELECT md5('k' || g)::uuid, md5('u' || g)::uuid, 'Seed', 'Live', 'rok_live_' || substr(md5('k' || g), 1, 8), md5('kh' || g), now() FROM generate_series(1, {{n}}) g;
            INSERT INTO identity.refresh_tokens (id, user_id, family_id, token_hash, created_at, expires_at)
            SELECT md5('rt' || g)::uuid, md5('u' || g)::uuid, md5('f' || g)::uuid, md5('rth' || g), now(), now() + interval '7 days' FROM generate_series(1, {{n}}) g;
            INSERT INTO webhooks.endpoints (id, project_id, owner_id, url, events, enabled, secret, created_at, updated_at)
            SELECT md5('w' || g)::uuid, md5('p' || g)::uuid, md5('u' || g)::uuid, 'https://example.com/h', '{}', true, 'x', now(), now() FROM generate_series(1, {{n}}) g;
            INSERT INTO webhooks.deliveries (id, event_id, event_type, owner_id, endpoint_id, url, payload, status, attempts, redelivering, created_at)
            SELECT md5('d' || g)::uuid, md5('e' || g)::uuid, 'render.succeeded', md5('u' || g)::uuid, md5('w' || g)::uuid, 'https://example.com/h', '{}',
                'Succeeded', 1, false, now() - make_interval(secs => g * 20) FROM generate_series(1, {{n}}) g;
            INSERT INTO webhooks.outbox (id, owner_id, type, payload, created_at, dispatched_at)
            SELECT md5('o' || g)::uuid, md5('u' || g)::uuid, 'render.succeeded', '{}', now() - make_interval(secs => g * 20), now() - make_interval(secs => g * 20)
            FROM generate_series(1, {{n}}) g;
            INSERT INTO operations.rate_limit_violations (id, principal, policy, method, path, occurred_at)
            SELECT md5('v' || g)::uuid, 'ip:10.0.0.' || (g % 250), 'free', 'GET', '/v1/projects', now() - make_interval(secs => g * 20) FROM generate_series(1, {{n}}) g;
            INSERT INTO analytics.events (id, owner_id, name, occurred_at, received_at, properties)
            SELECT md5('ev' || g)::uuid, md5('u' || (g % 1000))::uuid, 'seed.event', now() - make_interval(secs => g * 20), now(), '{}' FROM generate_series(1, {{n}}) g;
            INSERT INTO analytics.hourly (owner_id, project_id, bucket, renders_submitted, renders_succeeded, renders_failed, render_seconds, output_bytes, events, updated_at)
            SELECT md5('u' || g)::uuid, NULL, date_trunc('hour', now()) - make_interval(hours => g % 700), 1, 1, 0, 1, 1, 1, now() FROM generate_series(1, {{n}}) g;
            INSERT INTO operations.error_logs (id, occurred_at, status, problem_type, title, method, path, instance, resolved)
            SELECT md5('er' || g)::uuid, now() - make_interval(secs => g / 10), 500, 'internal-error', 'Seed', 'GET', '/v1/x', 'seed', g % 2 = 0
            FROM generate_series(1, {{n}}) g;
            INSERT INTO notifications.sent_emails (message_id, sent_at)
            SELECT 'seed-' || g || '@renderowl', now() - make_interval(secs => g * 20) FROM generate_series(1, {{n}}) g;
            """);
        // Something due for every retention policy, so each one's deletes run: 1,500 rows each (two rounds).
        await Database.ExecuteAsync(Fixture, timeout: TimeSpan.FromMinutes(5), sql: """
            SET synchronous_commit = off;
            UPDATE rendering.renders SET finished_at = now() - interval '200 days' - make_interval(secs => g.g), output_expired_at = now()
            FROM generate_series(1, 1500) g WHERE id = md5('r' || (g.g * 50 + 1))::uuid;
            UPDATE webhooks.deliveries SET created_at = now() - interval '40 days' - make_interval(secs => g.g) FROM generate_series(1, 1500) g WHERE id = md5('d' || g.g)::uuid;
            UPDATE operations.rate_limit_violations SET occurred_at = now() - interval '40 days' - make_interval(secs => g.g) FROM generate_series(1, 1500) g WHERE id = md5('v' || g.g)::uuid;
            UPDATE notifications.sent_emails SET sent_at = now() - interval '40 days' - make_interval(secs => g.g) FROM generate_series(1, 1500) g WHERE message_id = 'seed-' || g.g || '@renderowl';
            UPDATE identity.refresh_tokens SET expires_at = now() - make_interval(secs => g.g) FROM generate_series(1, 1500) g WHERE id = md5('rt' || g.g)::uuid;
            UPDATE identity.refresh_tokens SET revoked_at = now() - make_interval(secs => g.g) FROM generate_series(1501, 3000) g WHERE id = md5('rt' || g.g)::uuid;
            INSERT INTO operations.error_logs (id, occurred_at, status, problem_type, title, method, path, instance, resolved)
            SELECT md5('old-er' || g)::uuid, now() - interval '100 days' - make_interval(secs => g), 500, 'internal-error', 'Seed', 'GET', '/v1/x', 'seed', true
            FROM generate_series(1, 1500) g;
            """);
        await Database.ExecuteAsync(Fixture, "ANALYZE", TimeSpan.FromMinutes(5));
    }
}
