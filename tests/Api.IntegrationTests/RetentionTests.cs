using System.Net;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using RenderOwl.Api.IntegrationTests.Infrastructure;
using RenderOwl.Application.Operations;

namespace RenderOwl.Api.IntegrationTests;

/// <summary>Each retention policy removes exactly what is due (by age, against the real database) and nothing else.</summary>
public sealed class RetentionTests(ApiFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public async Task Each_policy_removes_what_is_due_and_keeps_the_rest()
    {
        var session = await this.RegisterUserAsync(Anonymous);
        var user = RenderOwl.Domain.Common.UserId.Parse(session.UserId, null).Value;
        // Notifications: 91 days old goes, 89 stays (Retention:NotificationsDays 90).
        await ExecuteAsync($$"""
            INSERT INTO notifications.notifications (id, user_id, type, title, body, data, created_at)
            SELECT gen_random_uuid(), '{{user}}', 'test', 'old', 'b', '{}', now() - make_interval(days => d)
            FROM unnest(ARRAY[91, 91, 89, 1]) AS d
            """);
        // Violations: 31 days goes, 29 stays (30). 2,500 due ones: three chunks of at most 1,000.
        await ExecuteAsync("""
            INSERT INTO operations.rate_limit_violations (id, principal, policy, method, path, ip_address, occurred_at)
            SELECT gen_random_uuid(), 'p', 'free', 'GET', '/v1/x', '127.0.0.1', now() - interval '31 days' FROM generate_series(1, 2500);
            INSERT INTO operations.rate_limit_violations (id, principal, policy, method, path, ip_address, occurred_at)
            VALUES (gen_random_uuid(), 'p', 'free', 'GET', '/v1/x', '127.0.0.1', now() - interval '29 days')
            """);
        // Refresh tokens: the session's own (valid) stays; an expired one goes; a revoked (rotated) one whose family still
        // has a live token stays — it is how reuse is caught; a revoked one whose family has none left goes.
        await ExecuteAsync($"""
            INSERT INTO identity.refresh_tokens (id, user_id, family_id, token_hash, created_at, expires_at, revoked_at)
            VALUES (gen_random_uuid(), '{user}', gen_random_uuid(), 'expired-hash', now() - interval '40 days', now() - interval '1 minute', NULL),
                   (gen_random_uuid(), '{user}', '00000000-0000-0000-0000-0000000000f1', 'rotated-hash', now() - interval '2 days', now() + interval '5 days', now() - interval '1 day'),
                   (gen_random_uuid(), '{user}', '00000000-0000-0000-0000-0000000000f1', 'live-hash', now() - interval '1 day', now() + interval '6 days', NULL),
                   (gen_random_uuid(), '{user}', gen_random_uuid(), 'signed-out-hash', now() - interval '2 days', now() + interval '5 days', now() - interval '1 day')
            """);

        // Sent render e-mails' record: 31 days goes, 29 stays (30).
        await ExecuteAsync("""
            INSERT INTO notifications.sent_emails (message_id, sent_at)
            VALUES ('render-old@renderowl', now() - interval '31 days'), ('render-new@renderowl', now() - interval '29 days')
            """);

        var removed = await Fixture.Factory.Services.GetRequiredService<ISender>().Send(new ApplyRetentionCommand());

        Assert.Equal(2, removed["notifications"]);
        Assert.Equal(1, removed["sent_emails"]);
        Assert.Equal("render-new@renderowl", await ScalarAsync<string>("SELECT message_id FROM notifications.sent_emails"));
        Assert.Equal(2500, removed["rate_limit_violations"]);
        Assert.Equal(2, removed["refresh_tokens"]);
        Assert.Equal(0, removed["webhook_deliveries"]);
        Assert.Equal(2L, await ScalarAsync<long>($"SELECT count(*) FROM notifications.notifications WHERE user_id = '{user}'"));
        Assert.Equal(1L, await ScalarAsync<long>("SELECT count(*) FROM operations.rate_limit_violations"));
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM identity.refresh_tokens WHERE token_hash = 'expired-hash'"));
        Assert.Equal(2L, await ScalarAsync<long>("SELECT count(*) FROM identity.refresh_tokens WHERE token_hash IN ('rotated-hash', 'live-hash')"));
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM identity.refresh_tokens WHERE token_hash = 'signed-out-hash'"));
        // The session still works: its own refresh token was not touched.
        Assert.Equal(HttpStatusCode.OK, (await Anonymous().PostAsync("/v1/auth/refresh", TestHttp.Json($"{{\"refresh_token\": \"{session.RefreshToken}\"}}"))).StatusCode);
        // Nothing left to do on a second run.
        Assert.All(await Fixture.Factory.Services.GetRequiredService<ISender>().Send(new ApplyRetentionCommand()), r => Assert.Equal(0, r.Value));
    }

    [Fact]
    public async Task Finished_webhook_deliveries_go_after_30_days_and_pending_ones_never()
    {
        var session = await this.RegisterUserAsync(Anonymous);
        var user = RenderOwl.Domain.Common.UserId.Parse(session.UserId, null).Value;
        await ExecuteAsync($$"""
            INSERT INTO webhooks.deliveries (id, event_id, event_type, owner_id, url, payload, status, attempts, redelivering, created_at)
            SELECT gen_random_uuid(), gen_random_uuid(), 'render.succeeded', '{{user}}', 'https://example.com/h', '{}', s, 1, false, now() - make_interval(days => d)
            FROM (VALUES ('Succeeded', 31), ('Failed', 31), ('Pending', 31), ('Retrying', 45), ('Succeeded', 29)) AS v(s, d)
            """);

        var removed = await Fixture.Factory.Services.GetRequiredService<ISender>().Send(new ApplyRetentionCommand());

        Assert.Equal(2, removed["webhook_deliveries"]);
        Assert.Equal(["Pending", "Retrying", "Succeeded"], await StatusesAsync());
    }

    [Fact]
    public async Task Dispatched_outbox_messages_go_after_7_days_and_undispatched_ones_never()
    {
        var session = await this.RegisterUserAsync(Anonymous);
        var user = RenderOwl.Domain.Common.UserId.Parse(session.UserId, null).Value;
        await ExecuteAsync($$"""
            INSERT INTO webhooks.outbox (id, owner_id, type, payload, created_at, dispatched_at)
            SELECT gen_random_uuid(), '{{user}}', t, '{}', now() - interval '30 days', now() - make_interval(days => d)
            FROM (VALUES ('dispatched-8', 8), ('dispatched-6', 6)) AS v(t, d);
            INSERT INTO webhooks.outbox (id, owner_id, type, payload, created_at, dispatched_at)
            VALUES (gen_random_uuid(), '{{user}}', 'waiting-30', '{}', now() - interval '30 days', NULL);
            """);

        var removed = await Fixture.Factory.Services.GetRequiredService<ISender>().Send(new ApplyRetentionCommand());

        Assert.Equal(1, removed["webhook_outbox"]);
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM webhooks.outbox WHERE type = 'dispatched-8'"));
        Assert.Equal(2L, await ScalarAsync<long>("SELECT count(*) FROM webhooks.outbox WHERE type IN ('dispatched-6', 'waiting-30')"));
    }

    [Fact]
    public async Task Render_outputs_expire_after_30_days_and_finished_renders_go_after_180_with_their_events()
    {
        var worker = Fixture.CreateFactory(Renders.Worker);
        _ = worker.Services; // started: it renders what the API queues
        var session = await this.RegisterUserAsync(Anonymous);
        var project = (await session.Client.CreateProjectAsync("kept"))["id"]!.GetValue<string>();
        var old = await FinishedAsync(session.Client, project);
        var recent = await FinishedAsync(session.Client, project);
        await worker.DisposeAsync();
        var queued = (await session.Client.SubmitAsync(project, Renders.Small()))["id"]!.GetValue<string>(); // never finishes: the worker is gone
        var oldFile = Path.Combine(Fixture.StoragePath, await OutputKeyAsync(old));
        var recentFile = Path.Combine(Fixture.StoragePath, await OutputKeyAsync(recent));
        Assert.True(File.Exists(oldFile) && File.Exists(recentFile));
        await ExecuteAsync($"UPDATE rendering.renders SET finished_at = now() - interval '31 days' WHERE id = '{Guid(old)}'");
        await ExecuteAsync($"UPDATE rendering.renders SET finished_at = now() - interval '29 days' WHERE id = '{Guid(recent)}'");
        await ExecuteAsync($"UPDATE rendering.renders SET created_at = now() - interval '400 days', queued_at = now() - interval '400 days' WHERE id = '{Guid(queued)}'");
        var before = await (await session.Client.GetAsync($"/v1/renders/{old}")).ReadJsonAsync(); // cached as finished

        var removed = await Fixture.Factory.Services.GetRequiredService<ISender>().Send(new ApplyRetentionCommand());

        Assert.Equal(1, removed["render_outputs"]);
        Assert.Equal(0, removed["renders"]);
        Assert.False(File.Exists(oldFile));
        Assert.True(File.Exists(recentFile));
        // The render stays with its output's figures; the output says expired, and its download is 410.
        var expired = await (await session.Client.GetAsync($"/v1/renders/{old}")).ReadJsonAsync();
        Assert.Equal("succeeded", expired.Status());
        Assert.Equal("expired", expired["output"]!["status"]!.GetValue<string>());
        Assert.Null(expired["output"]!["url"]);
        Assert.NotNull(expired["output"]!["expired_at"]);
        Assert.Equal(before["output"]!["sha256"]!.GetValue<string>(), expired["output"]!["sha256"]!.GetValue<string>());
        await (await session.Client.GetAsync($"/v1/renders/{old}/output")).AssertProblemAsync(HttpStatusCode.Gone, "output-expired");
        var kept = await (await session.Client.GetAsync($"/v1/renders/{recent}")).ReadJsonAsync();
        Assert.Equal("available", kept["output"]!["status"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await session.Client.GetAsync($"/v1/renders/{recent}/output")).StatusCode);

        // 181 days after finishing, the render goes with its events; the recent one and the never-finished one stay.
        await ExecuteAsync($"UPDATE rendering.renders SET finished_at = now() - interval '181 days' WHERE id = '{Guid(old)}'");
        Assert.True(await ScalarAsync<long>($"SELECT count(*) FROM rendering.render_events WHERE render_id = '{Guid(old)}'") > 0);
        removed = await Fixture.Factory.Services.GetRequiredService<ISender>().Send(new ApplyRetentionCommand());
        Assert.Equal(1, removed["renders"]);
        Assert.Equal(0, removed["render_outputs"]);
        await (await session.Client.GetAsync($"/v1/renders/{old}")).AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
        Assert.Equal(0L, await ScalarAsync<long>($"SELECT count(*) FROM rendering.render_events WHERE render_id = '{Guid(old)}'"));
        Assert.Equal(HttpStatusCode.OK, (await session.Client.GetAsync($"/v1/renders/{recent}")).StatusCode);
        Assert.Equal("queued", (await (await session.Client.GetAsync($"/v1/renders/{queued}")).ReadJsonAsync()).Status());
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM operations.file_deletions"));
    }

    private static async Task<string> FinishedAsync(HttpClient client, string project)
    {
        var id = (await client.SubmitAsync(project, Renders.Small()))["id"]!.GetValue<string>();
        Assert.Equal("succeeded", (await client.WaitForAsync(id, r => r.Status() is "succeeded" or "failed")).Status());
        return id;
    }

    private static Guid Guid(string renderId) => RenderOwl.Domain.Common.RenderId.Parse(renderId, null).Value;

    private async Task<string> OutputKeyAsync(string renderId)
        => await ScalarAsync<string>($"SELECT output->>'StorageKey' FROM rendering.renders WHERE id = '{Guid(renderId)}'");

    private async Task<List<string>> StatusesAsync()
    {
        await using var connection = new NpgsqlConnection(Fixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT status FROM webhooks.deliveries ORDER BY status", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var statuses = new List<string>();
        while (await reader.ReadAsync())
        {
            statuses.Add(reader.GetString(0));
        }
        return statuses;
    }

    private async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(Fixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(Fixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
