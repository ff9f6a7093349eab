using System.Net;
using System.Net.Http.Json;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using RenderOwl.Api.IntegrationTests.Infrastructure;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Operations.Monitoring;
using RenderOwl.Application.Rendering;
using RenderOwl.Infrastructure.Monitoring;

namespace RenderOwl.Api.IntegrationTests;

/// <summary>The operational history: server errors kept and resolved, queue, route and cache figures per minute, daily partitions.</summary>
public sealed class MonitoringHistoryTests(ApiFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public async Task A_server_error_is_kept_with_its_request_listed_and_resolved()
    {
        await using var factory = TestOnlyController.With(Fixture.CreateFactory());
        var admin = await this.RegisterAdminAsync(Fixture, factory.CreateClient);
        var user = await this.RegisterUserAsync(factory.CreateClient);
        var failed = await user.Client.GetAsync("/v1/test-only/fail");
        await failed.AssertProblemAsync(HttpStatusCode.InternalServerError, "internal-error");
        Assert.Equal(HttpStatusCode.OK, (await user.Client.GetAsync("/v1/projects")).StatusCode); // a success is not an error
        await factory.Services.GetRequiredService<ErrorLogWriter>().FlushAsync(CancellationToken.None);

        var items = (await (await admin.GetAsync("/internal/errors?resolved=false")).ReadJsonAsync())["items"]!.AsArray();
        var error = Assert.Single(items)!;
        Assert.StartsWith("err_", error["id"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(500, error["status"]!.GetValue<int>());
        Assert.Equal("internal-error", error["type"]!.GetValue<string>());
        Assert.Equal("GET", error["method"]!.GetValue<string>());
        Assert.Equal("/v1/test-only/fail", error["route"]!.GetValue<string>());
        Assert.Equal("/v1/test-only/fail", error["path"]!.GetValue<string>());
        Assert.Equal(failed.Headers.GetValues("X-Request-Id").Single(), error["request_id"]!.GetValue<string>());
        Assert.Equal(failed.Headers.GetValues("X-Trace-Id").Single(), error["trace_id"]!.GetValue<string>());
        Assert.Equal(user.UserId, error["user_id"]!.GetValue<string>());
        Assert.False(error["resolved"]!.GetValue<bool>());
        // The exception is the operator's, in the table; it never leaves the server, even to an admin.
        Assert.DoesNotContain("forced failure", error.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal("System.InvalidOperationException", await Database.ScalarAsync(Fixture, "SELECT exception_type FROM operations.error_logs"));
        Assert.Contains("TestOnlyController.Fail", (string)(await Database.ScalarAsync(Fixture, "SELECT stack_trace FROM operations.error_logs"))!, StringComparison.Ordinal);

        var id = error["id"]!.GetValue<string>();
        var resolved = await (await admin.PatchAsJsonAsync($"/internal/errors/{id}", new { resolved = true })).ReadJsonAsync();
        Assert.True(resolved["resolved"]!.GetValue<bool>());
        Assert.NotNull(resolved["resolved_at"]);
        Assert.Empty((await (await admin.GetAsync("/internal/errors?resolved=false")).ReadJsonAsync())["items"]!.AsArray());
        Assert.Single((await (await admin.GetAsync("/internal/errors?resolved=true&status=500")).ReadJsonAsync())["items"]!.AsArray());
        var reopened = await (await admin.PatchAsJsonAsync($"/internal/errors/{id}", new { resolved = false })).ReadJsonAsync();
        Assert.False(reopened["resolved"]!.GetValue<bool>());
        Assert.Null(reopened["resolved_at"]);

        // An exception that carries the caller's credentials and an e-mail address is stored with them masked.
        Assert.Equal(HttpStatusCode.InternalServerError, (await user.Client.GetAsync("/v1/test-only/fail-with-secrets")).StatusCode);
        await factory.Services.GetRequiredService<ErrorLogWriter>().FlushAsync(CancellationToken.None);
        var stored = (string)(await Database.ScalarAsync(Fixture,
            "SELECT exception_message || stack_trace FROM operations.error_logs WHERE path = '/v1/test-only/fail-with-secrets'"))!;
        Assert.Contains("forced failure for", stored, StringComparison.Ordinal);
        Assert.DoesNotContain(user.AccessToken, stored, StringComparison.Ordinal);
        Assert.DoesNotContain("ada.lovelace@example.com", stored, StringComparison.Ordinal);

        // Deleting the account keeps the errors for the operator, without whose they were.
        await using var scope = factory.Services.CreateAsyncScope();
        var step = scope.ServiceProvider.GetServices<IAccountErasure>()
            .SelectMany(e => e.Steps(new AccountScope(RenderOwl.Domain.Common.UserId.Parse(user.UserId, null), [user.UserId])))
            .Single(s => s.Name == "error_logs");
        Assert.Equal(2, await step.DeleteChunk(CancellationToken.None));
        Assert.Equal(0, await step.DeleteChunk(CancellationToken.None));
        Assert.Equal(2L, await Database.CountAsync(Fixture, "SELECT count(*) FROM operations.error_logs WHERE user_id IS NULL"));
    }

    [Fact]
    public async Task Error_endpoints_refuse_bad_input_and_non_admins()
    {
        var admin = await this.RegisterAdminAsync(Fixture, Anonymous);
        var user = await this.RegisterUserAsync(Anonymous);
        var unknown = $"err_{RenderOwl.Domain.Common.CrockfordBase32.Encode(Guid.CreateVersion7())}";
        await (await admin.PatchAsJsonAsync($"/internal/errors/{unknown}", new { resolved = true })).AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
        await (await admin.PatchAsJsonAsync($"/internal/errors/{unknown}", new { })).AssertProblemAsync(HttpStatusCode.BadRequest, "validation-failed");
        await (await admin.PatchAsJsonAsync("/internal/errors/err_nonsense", new { resolved = true })).AssertProblemAsync(HttpStatusCode.BadRequest, "invalid-id");
        await (await admin.GetAsync("/internal/errors?status=404")).AssertProblemAsync(HttpStatusCode.BadRequest, "validation-failed");
        await (await user.Client.GetAsync("/internal/errors")).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await Anonymous().PatchAsJsonAsync($"/internal/errors/{unknown}", new { resolved = true })).AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task Each_period_of_routes_and_cache_and_each_minute_of_queues_is_recorded()
    {
        await using var factory = Fixture.CreateFactory(new Dictionary<string, string?> { ["Performance:WindowSeconds"] = "15" }); // periods of 1 s
        var session = await this.RegisterUserAsync(factory.CreateClient);
        var project = (await session.Client.CreateProjectAsync("history"))["id"]!.GetValue<string>();
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await session.Client.GetAsync($"/v1/projects/{project}")).StatusCode);
        }
        for (var i = 0; i < 2; i++)
        {
            await session.Client.SubmitAsync(project, Renders.Small()); // no worker here: they wait in the queue
        }
        await Task.Delay(TimeSpan.FromSeconds(1.2)); // the period of those requests closes
        var recorder = factory.Services.GetRequiredService<InstanceMetricsRecorder>();
        var stats = factory.Services.GetRequiredService<ICacheOperations>().Stats();
        await recorder.RecordAsync(CancellationToken.None);

        var instance = factory.Services.GetRequiredService<IInstanceName>().Value;
        Assert.Equal(3L, await Database.ScalarAsync(Fixture,
            $"SELECT sum(requests)::bigint FROM operations.api_metrics WHERE instance = '{instance}' AND route = 'GET /v1/projects/{{project_id}}'"));
        Assert.Equal(2L, await Database.ScalarAsync(Fixture,
            $"SELECT sum(requests)::bigint FROM operations.api_metrics WHERE instance = '{instance}' AND route = 'POST /v1/projects/{{project_id}}/renders'"));
        Assert.Equal(1, await Database.ScalarAsync(Fixture, $"SELECT min(period_seconds) FROM operations.api_metrics WHERE instance = '{instance}'"));
        Assert.True((double)(await Database.ScalarAsync(Fixture, $"SELECT max(p95_ms) FROM operations.api_metrics WHERE instance = '{instance}'"))! > 0);
        Assert.Equal(stats.Hits + stats.Misses, await Database.ScalarAsync(Fixture, $"SELECT hits + misses FROM operations.cache_metrics WHERE instance = '{instance}'"));
        Assert.True(stats.Hits + stats.Misses > 0);

        // The next record carries only what happened since: no period twice, the cache counted from the last record.
        await recorder.RecordAsync(CancellationToken.None);
        Assert.Equal(3L, await Database.ScalarAsync(Fixture,
            $"SELECT sum(requests)::bigint FROM operations.api_metrics WHERE instance = '{instance}' AND route = 'GET /v1/projects/{{project_id}}'"));
        Assert.Equal(stats.Hits + stats.Misses, await Database.ScalarAsync(Fixture, $"SELECT sum(hits + misses)::bigint FROM operations.cache_metrics WHERE instance = '{instance}'"));

        Assert.Equal(6, await factory.Services.GetRequiredService<ISender>().Send(new RecordQueueMetricsCommand())); // renders, four priorities, jobs
        Assert.Equal(2, await Database.ScalarAsync(Fixture, "SELECT depth FROM operations.queue_metrics WHERE queue = 'renders'"));
        Assert.Equal(2, await Database.ScalarAsync(Fixture, "SELECT depth FROM operations.queue_metrics WHERE queue = 'renders:normal'"));
        Assert.Equal(0, await Database.ScalarAsync(Fixture, "SELECT depth FROM operations.queue_metrics WHERE queue = 'renders:urgent'"));
        Assert.Equal(1L, await Database.ScalarAsync(Fixture, "SELECT count(*) FROM operations.queue_metrics WHERE queue = 'jobs'"));
    }

    [Fact]
    public async Task Rows_of_a_day_without_partition_wait_in_the_default_one_and_move_when_it_is_made()
    {
        var store = Fixture.Factory.Services.GetRequiredService<IMonitoringStore>();
        var day = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(40);
        var at = new DateTimeOffset(day.ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero);
        await store.WriteQueueMetricsAsync(at, [new QueueMetricRow("renders", 1, 0, 0, 0, null, null)], CancellationToken.None);
        Assert.Equal(1L, await Database.CountAsync(Fixture, "SELECT count(*) FROM operations.queue_metrics_default"));

        var made = await store.EnsurePartitionsAsync(day, 1, CancellationToken.None);
        try
        {
            Assert.Contains($"queue_metrics_p{day:yyyyMMdd}", made);
            Assert.Contains($"error_logs_p{day:yyyyMMdd}", made);
            Assert.Equal(0L, await Database.CountAsync(Fixture, "SELECT count(*) FROM operations.queue_metrics_default"));
            Assert.Equal(1L, await Database.CountAsync(Fixture, $"SELECT count(*) FROM operations.queue_metrics_p{day:yyyyMMdd}"));
            Assert.Empty(await store.EnsurePartitionsAsync(day, 1, CancellationToken.None)); // idempotent
        }
        finally
        {
            await DropAsync(day);
        }
        // The daily job keeps yesterday to three days ahead.
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        await Fixture.Factory.Services.GetRequiredService<ISender>().Send(new MaintainMonitoringPartitionsCommand());
        foreach (var offset in new[] { -1, 0, 3 })
        {
            Assert.Equal(1L, await Database.CountAsync(Fixture,
                $"SELECT count(*) FROM pg_class WHERE relname = 'api_metrics_p{today.AddDays(offset):yyyyMMdd}'"));
        }
    }

    [Fact]
    public async Task Retention_drops_whole_days_of_metrics_and_only_resolved_errors()
    {
        var store = Fixture.Factory.Services.GetRequiredService<IMonitoringStore>();
        var now = DateTimeOffset.UtcNow;
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        DateOnly Day(int ago) => today.AddDays(-ago);
        foreach (var ago in new[] { 95, 9, 6 })
        {
            await store.EnsurePartitionsAsync(Day(ago), 1, CancellationToken.None);
        }
        try
        {
            foreach (var ago in new[] { 9, 6 })
            {
                await store.WriteQueueMetricsAsync(now.AddDays(-ago), [new QueueMetricRow("renders", ago, 0, 0, 0, null, null)], CancellationToken.None);
                await store.WriteCacheMetricsAsync("test", new CacheMetricRow(now.AddDays(-ago), 60, 1, 1, 0, 0, 0, 0, 0, 0, 0), CancellationToken.None);
                await store.WriteApiMetricsAsync("test", [new ApiMetricRow(now.AddDays(-ago), "GET /x", 60, 1, 0, 1, 1, 1, 1)], CancellationToken.None);
            }
            // Errors 95 days old (one resolved, one open), 80 days old (resolved).
            await Database.ExecuteAsync(Fixture, $"""
                INSERT INTO operations.error_logs (id, occurred_at, status, problem_type, title, method, path, instance, resolved)
                VALUES (gen_random_uuid(), now() - interval '95 days', 500, 'internal-error', 't', 'GET', '/a', 'i', true),
                       (gen_random_uuid(), now() - interval '95 days', 500, 'internal-error', 't', 'GET', '/b', 'i', false),
                       (gen_random_uuid(), now() - interval '80 days', 500, 'internal-error', 't', 'GET', '/c', 'i', true)
                """);

            var removed = await Fixture.Factory.Services.GetRequiredService<ISender>().Send(new Application.Operations.ApplyRetentionCommand());

            Assert.Equal(1, removed["queue_metrics"]); // 9 days: past 7
            Assert.Equal(1, removed["cache_metrics"]); // 9 days: past 7
            Assert.Equal(0, removed["api_metrics"]); // kept 30 days
            Assert.Equal(1, removed["error_logs"]);
            Assert.Equal(6, await Database.ScalarAsync(Fixture, "SELECT depth FROM operations.queue_metrics"));
            Assert.Equal(0L, await Database.CountAsync(Fixture, $"SELECT count(*) FROM pg_class WHERE relname = 'queue_metrics_p{Day(9):yyyyMMdd}'"));
            Assert.Equal(1L, await Database.CountAsync(Fixture, $"SELECT count(*) FROM pg_class WHERE relname = 'queue_metrics_p{Day(6):yyyyMMdd}'"));
            Assert.Equal(2L, await Database.CountAsync(Fixture, "SELECT count(*) FROM operations.api_metrics"));
            Assert.Equal(["/b", "/c"], await PathsAsync());
            // The open error keeps its day; resolved and past the cut, it goes, and the empty day with it.
            Assert.Equal(1L, await Database.CountAsync(Fixture, $"SELECT count(*) FROM pg_class WHERE relname = 'error_logs_p{Day(95):yyyyMMdd}'"));
            await Database.ExecuteAsync(Fixture, "UPDATE operations.error_logs SET resolved = true WHERE path = '/b'");
            removed = await Fixture.Factory.Services.GetRequiredService<ISender>().Send(new Application.Operations.ApplyRetentionCommand());
            Assert.Equal(1, removed["error_logs"]);
            Assert.Equal(["/c"], await PathsAsync());
            Assert.Equal(0L, await Database.CountAsync(Fixture, $"SELECT count(*) FROM pg_class WHERE relname = 'error_logs_p{Day(95):yyyyMMdd}'"));
        }
        finally
        {
            foreach (var ago in new[] { 95, 9, 6 })
            {
                await DropAsync(Day(ago));
            }
        }
    }

    private async Task<List<string>> PathsAsync()
    {
        await using var connection = new Npgsql.NpgsqlConnection(Fixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("SELECT path FROM operations.error_logs ORDER BY path", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var paths = new List<string>();
        while (await reader.ReadAsync())
        {
            paths.Add(reader.GetString(0));
        }
        return paths;
    }

    /// <summary>Partitions a test made are dropped by it: the database reset knows only those of the migrations.</summary>
    private Task DropAsync(DateOnly day) => Database.ExecuteAsync(Fixture, string.Concat(
        new[] { "queue_metrics", "api_metrics", "cache_metrics", "error_logs" }.Select(t => $"DROP TABLE IF EXISTS operations.{t}_p{day:yyyyMMdd};")));
}
