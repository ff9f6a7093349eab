using System.Net;
using System.Net.Http.Json;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using RenderOwl.Api.IntegrationTests.Infrastructure;
using RenderOwl.Application.Analytics;
using RenderOwl.Application.Common.Abstractions;

namespace RenderOwl.Api.IntegrationTests;

/// <summary>Analytics: events in with one COPY, monthly partitions, the hourly roll-up and usage, against the real database.</summary>
public sealed class AnalyticsTests(ApiFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public async Task Five_hundred_events_are_written_with_one_COPY()
    {
        var admin = await this.RegisterAdminAsync(Fixture, Anonymous);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsync("/internal/db/queries/reset", null)).StatusCode);
        var (session, project) = await this.AccountWithProjectAsync(Anonymous);
        var now = DateTimeOffset.UtcNow;
        var events = Enumerable.Range(0, 500).Select(i => new Dictionary<string, object?>
        {
            ["name"] = i % 2 == 0 ? "editor.opened" : "template.saved",
            ["occurred_at"] = now.AddMinutes(-i),
            ["properties"] = new { n = i, source = "test" },
            ["project_id"] = i % 5 == 0 ? project : null,
        }).ToList();

        var response = await session.Client.PostAsJsonAsync("/v1/analytics/events", new { events });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(500, (await response.ReadJsonAsync())["accepted"]!.GetValue<int>());

        Assert.Equal(500L, await ScalarAsync<long>($"SELECT count(*) FROM analytics.events WHERE owner_id = '{UserGuid(session)}'"));
        Assert.Equal(100L, await ScalarAsync<long>($"SELECT count(*) FROM analytics.events WHERE owner_id = '{UserGuid(session)}' AND project_id IS NOT NULL"));
        Assert.Equal(499L, await ScalarAsync<long>($"SELECT ((properties ->> 'n')::bigint) FROM analytics.events WHERE owner_id = '{UserGuid(session)}' ORDER BY occurred_at LIMIT 1"));
        var statements = (await (await admin.GetAsync("/internal/db/queries")).ReadJsonAsync())["items"]!.AsArray();
        var copy = Assert.Single(statements, s => s!["statement"]!.GetValue<string>().StartsWith("COPY analytics.events", StringComparison.Ordinal))!;
        Assert.Equal(1, copy["calls"]!.GetValue<long>()); // one round trip for the 500
        Assert.DoesNotContain(statements, s => s!["statement"]!.GetValue<string>().Contains("INSERT INTO analytics.events", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Bad Name", 0, "{}", "invalid_name")]
    [InlineData("render.submitted", 0, "{}", "reserved_name")]
    [InlineData("ok.name", 120, "{}", "in_future")]
    [InlineData("ok.name", -31 * 24 * 60, "{}", "too_old")]
    [InlineData("ok.name", 0, "[1, 2]", "invalid_type")]
    [InlineData("ok.name", 0, "big", "too_large")]
    public async Task A_bad_event_is_a_400_naming_its_field(string name, int minutesFromNow, string properties, string code)
    {
        var session = await this.RegisterUserAsync(Anonymous);
        var props = properties == "big" ? $"{{\"blob\": \"{new string('x', 9000)}\"}}" : properties;
        var body = $"{{\"events\": [{{\"name\": \"ok.first\", \"occurred_at\": \"{DateTimeOffset.UtcNow:O}\"}}, " +
                   $"{{\"name\": \"{name}\", \"occurred_at\": \"{DateTimeOffset.UtcNow.AddMinutes(minutesFromNow):O}\", \"properties\": {props}}}]}}";
        var problem = await (await session.Client.PostAsync("/v1/analytics/events", TestHttp.Json(body))).AssertProblemAsync(HttpStatusCode.BadRequest, "validation-failed");
        var error = Assert.Single(problem["errors"]!.AsArray())!;
        Assert.Equal(code, error["code"]!.GetValue<string>());
        Assert.StartsWith("events[1].", error["field"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(0L, await ScalarAsync<long>($"SELECT count(*) FROM analytics.events WHERE owner_id = '{UserGuid(session)}'")); // nothing of the batch kept
    }

    [Fact]
    public async Task More_than_500_events_or_another_accounts_project_is_refused()
    {
        var session = await this.RegisterUserAsync(Anonymous);
        var many = Enumerable.Range(0, 501).Select(_ => new { name = "x", occurred_at = DateTimeOffset.UtcNow }).ToList();
        var problem = await (await session.Client.PostAsJsonAsync("/v1/analytics/events", new { events = many })).AssertProblemAsync(HttpStatusCode.BadRequest, "validation-failed");
        Assert.Equal("out_of_range", problem["errors"]![0]!["code"]!.GetValue<string>());

        var (_, othersProject) = await this.AccountWithProjectAsync(Anonymous);
        await (await session.Client.PostAsJsonAsync("/v1/analytics/events", new { events = new[] { new { name = "x", occurred_at = DateTimeOffset.UtcNow, project_id = othersProject } } }))
            .AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
        await (await session.Client.GetAsync($"/v1/analytics/usage?project_id={othersProject}")).AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
        await (await session.Client.GetAsync("/v1/analytics/usage?granularity=week")).AssertProblemAsync(HttpStatusCode.BadRequest, "validation-failed");
        await (await Anonymous().GetAsync("/v1/analytics/usage")).AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task The_roll_up_matches_a_hand_count_and_gives_the_same_figures_when_run_again()
    {
        var (session, project) = await this.AccountWithProjectAsync(Anonymous);
        var hour = new DateTimeOffset(DateTimeOffset.UtcNow.Year, DateTimeOffset.UtcNow.Month, DateTimeOffset.UtcNow.Day, DateTimeOffset.UtcNow.Hour, 0, 0, TimeSpan.Zero).AddHours(-2);
        var events = new List<object>();
        for (var i = 0; i < 37; i++)
        {
            events.Add(new { name = "a.b", occurred_at = hour.AddMinutes(i % 60), project_id = i % 3 == 0 ? project : null });
        }
        events.Add(new { name = "a.b", occurred_at = hour.AddHours(1).AddSeconds(1), project_id = (string?)null }); // the next hour
        Assert.Equal(HttpStatusCode.Accepted, (await session.Client.PostAsJsonAsync("/v1/analytics/events", new { events })).StatusCode);

        var store = Fixture.Factory.Services.GetRequiredService<IAnalyticsStore>();
        await store.RollUpHourAsync(hour, CancellationToken.None);
        var first = await HourlyAsync(session);
        await store.RollUpHourAsync(hour, CancellationToken.None);
        Assert.Equal(first, await HourlyAsync(session)); // idempotent
        // By hand: 13 events with the project (i = 0, 3, … 36), 24 without, in that hour; the 38th is the next hour's.
        Assert.Equal([($"{hour:O}", true, 13L), ($"{hour:O}", false, 24L)], first);

        // The usage endpoint: hourly buckets of the requested range, empty ones included, and a day folding them.
        var usage = (await (await session.Client.GetAsync($"/v1/analytics/usage?from={Uri.EscapeDataString(hour.AddHours(-3).ToString("O"))}&to={Uri.EscapeDataString(hour.AddHours(2).ToString("O"))}")).ReadJsonAsync())["items"]!.AsArray();
        Assert.Equal(6, usage.Count);
        Assert.Equal([0L, 0L, 0L, 37L, 0L, 0L], usage.Select(b => b!["events"]!.GetValue<long>()));
        Assert.Equal(hour, usage[3]!["bucket"]!.GetValue<DateTimeOffset>());
        var onlyProject = (await (await session.Client.GetAsync($"/v1/analytics/usage?project_id={project}&from={Uri.EscapeDataString(hour.ToString("O"))}&to={Uri.EscapeDataString(hour.AddMinutes(30).ToString("O"))}")).ReadJsonAsync())["items"]!.AsArray();
        Assert.Equal(13L, Assert.Single(onlyProject)!["events"]!.GetValue<long>());
        var daily = (await (await session.Client.GetAsync($"/v1/analytics/usage?granularity=day&from={Uri.EscapeDataString(hour.AddDays(-2).ToString("O"))}&to={Uri.EscapeDataString(hour.ToString("O"))}")).ReadJsonAsync())["items"]!.AsArray();
        Assert.Equal(3, daily.Count);
        Assert.Equal(37L, daily[2]!["events"]!.GetValue<long>());
        Assert.Equal(new DateTimeOffset(hour.Date, TimeSpan.Zero), daily[2]!["bucket"]!.GetValue<DateTimeOffset>());
    }

    [Fact]
    public async Task A_finished_render_shows_in_usage_after_the_minutely_roll_up()
    {
        await using var worker = Fixture.CreateFactory(Renders.Worker);
        var (session, project) = await this.AccountWithProjectAsync(worker.CreateClient);
        var render = (await session.Client.SubmitAsync(project, Renders.Small(duration: 2)))["id"]!.GetValue<string>();
        var done = await session.Client.WaitForAsync(render, r => r.Status() == "succeeded");
        await worker.Services.GetRequiredService<ISender>().Send(new RollUpUsageCommand()); // what the analytics-rollup job runs every minute

        var usage = (await (await session.Client.GetAsync("/v1/analytics/usage")).ReadJsonAsync())["items"]!.AsArray();
        Assert.InRange(usage.Count, 24, 25); // the last 24 hours, hour by hour, the empty ones too
        var now = usage[^1]!;
        Assert.Equal(1, now["renders_submitted"]!.GetValue<long>());
        Assert.Equal(1, now["renders_succeeded"]!.GetValue<long>());
        Assert.Equal(0, now["renders_failed"]!.GetValue<long>());
        Assert.Equal(done["output"]!["size_bytes"]!.GetValue<long>(), now["output_bytes"]!.GetValue<long>());
        Assert.InRange(now["render_seconds"]!.GetValue<double>(), 1.9, 2.1); // the output's measured duration
        Assert.Equal(0, usage.Take(usage.Count - 1).Sum(b => b!["renders_submitted"]!.GetValue<long>()));
    }

    [Fact]
    public async Task An_event_for_an_hour_the_minutely_roll_up_has_passed_is_counted_all_the_same()
    {
        await using var worker = Fixture.CreateFactory(Renders.Worker); // runs Hangfire jobs
        var session = await this.RegisterUserAsync(worker.CreateClient);
        var threeDaysAgo = DateTimeOffset.UtcNow.AddDays(-3);
        Assert.Equal(HttpStatusCode.Accepted, (await session.Client.PostAsJsonAsync("/v1/analytics/events",
            new { events = new[] { new { name = "late.one", occurred_at = threeDaysAgo }, new { name = "late.two", occurred_at = threeDaysAgo } } })).StatusCode);

        var url = $"/v1/analytics/usage?granularity=day&from={Uri.EscapeDataString(threeDaysAgo.AddDays(-1).ToString("O"))}";
        var days = await Eventually.UntilAsync(async () => (await (await session.Client.GetAsync(url)).ReadJsonAsync())["items"]!.AsArray(),
            d => d.Sum(b => b!["events"]!.GetValue<long>()) == 2, TimeSpan.FromSeconds(30), "the late events' hour was rolled up");
        Assert.Equal(2, days[1]!["events"]!.GetValue<long>());
    }

    [Fact]
    public async Task Partitions_are_made_three_months_ahead_and_dropped_whole_past_retention()
    {
        var now = DateTimeOffset.UtcNow;
        var ahead = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(3);
        await ScalarAsync<string[]>("SELECT analytics.ensure_event_partitions('2024-01-01', 2)"); // two old months
        await ExecuteAsync("INSERT INTO analytics.events (id, owner_id, name, occurred_at, received_at) VALUES (gen_random_uuid(), gen_random_uuid(), 'old.one', '2024-01-15Z', now())");
        var (created, dropped) = await Fixture.Factory.Services.GetRequiredService<ISender>().Send(new MaintainAnalyticsPartitionsCommand());

        Assert.Equal(["events_y2024m01", "events_y2024m02"], dropped);
        var partitions = await PartitionsAsync();
        Assert.DoesNotContain("events_y2024m01", partitions);
        Assert.Contains($"events_y{ahead:yyyy}m{ahead:MM}", partitions);
        Assert.Contains($"events_y{now:yyyy}m{now:MM}", partitions);
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM analytics.events WHERE name = 'old.one'"));
        // A second run has nothing to do.
        var again = await Fixture.Factory.Services.GetRequiredService<ISender>().Send(new MaintainAnalyticsPartitionsCommand());
        Assert.Empty(again.Created);
        Assert.Empty(again.Dropped);
        Assert.DoesNotContain(created, c => string.CompareOrdinal(c, $"events_y{now:yyyy}m{now:MM}") < 0);
    }

    private static string UserGuid(Session session) => RenderOwl.Domain.Common.UserId.Parse(session.UserId, null).Value.ToString();

    private async Task<List<(string Bucket, bool WithProject, long Events)>> HourlyAsync(Session session)
    {
        await using var connection = new NpgsqlConnection(Fixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT bucket, project_id IS NOT NULL, events FROM analytics.hourly WHERE owner_id = '{UserGuid(session)}' ORDER BY bucket, 2 DESC", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(string, bool, long)>();
        while (await reader.ReadAsync())
        {
            rows.Add(($"{reader.GetFieldValue<DateTimeOffset>(0):O}", reader.GetBoolean(1), reader.GetInt64(2)));
        }
        return rows;
    }

    private async Task<List<string>> PartitionsAsync()
    {
        await using var connection = new NpgsqlConnection(Fixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'analytics.events'::regclass", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var names = new List<string>();
        while (await reader.ReadAsync())
        {
            names.Add(reader.GetString(0));
        }
        return names;
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
