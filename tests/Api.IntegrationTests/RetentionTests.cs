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
        // Refresh tokens: the session's own (valid) stays; an expired one goes; a revoked but unexpired one stays.
        await ExecuteAsync($"""
            INSERT INTO identity.refresh_tokens (id, user_id, family_id, token_hash, created_at, expires_at, revoked_at)
            VALUES (gen_random_uuid(), '{user}', gen_random_uuid(), 'expired-hash', now() - interval '40 days', now() - interval '1 minute', NULL),
                   (gen_random_uuid(), '{user}', gen_random_uuid(), 'revoked-hash', now() - interval '2 days', now() + interval '5 days', now() - interval '1 day')
            """);

        var removed = await Fixture.Factory.Services.GetRequiredService<ISender>().Send(new ApplyRetentionCommand());

        Assert.Equal(2, removed["notifications"]);
        Assert.Equal(2500, removed["rate_limit_violations"]);
        Assert.Equal(1, removed["refresh_tokens"]);
        Assert.Equal(0, removed["webhook_deliveries"]);
        Assert.Equal(2L, await ScalarAsync<long>($"SELECT count(*) FROM notifications.notifications WHERE user_id = '{user}'"));
        Assert.Equal(1L, await ScalarAsync<long>("SELECT count(*) FROM operations.rate_limit_violations"));
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM identity.refresh_tokens WHERE token_hash = 'expired-hash'"));
        Assert.Equal(1L, await ScalarAsync<long>("SELECT count(*) FROM identity.refresh_tokens WHERE token_hash = 'revoked-hash'"));
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
