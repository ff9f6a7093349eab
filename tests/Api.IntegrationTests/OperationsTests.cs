using System.Net;
using Microsoft.Extensions.DependencyInjection;
using RenderOwl.Api.IntegrationTests.Infrastructure;
using RenderOwl.Application.Common.Errors;

namespace RenderOwl.Api.IntegrationTests;

public sealed class OperationsTests(ApiFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public async Task Live_and_ready_answer_when_everything_is_up()
    {
        Assert.Equal(HttpStatusCode.OK, (await Anonymous().GetAsync("/live")).StatusCode);
        var ready = await Anonymous().GetAsync("/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("ready", (await ready.ReadJsonAsync())["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Ready_is_503_when_the_database_is_unreachable()
    {
        var closedPort = ApiProcess.FreePort();
        await using var factory = Fixture.CreateFactory(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Primary"] = $"Host=127.0.0.1;Port={closedPort};Database=nothing;Username=postgres;Timeout=2",
        });
        var client = factory.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/live")).StatusCode);
        var problem = await (await client.GetAsync("/ready")).AssertProblemAsync(HttpStatusCode.ServiceUnavailable, "service-unavailable");
        Assert.Contains("database", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain("Npgsql", problem.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_request_that_needs_an_unreachable_database_is_a_503_problem_with_Retry_After_not_a_500()
    {
        var session = await this.RegisterUserAsync(Anonymous); // a valid access token (checked without the database)
        await using var factory = Fixture.CreateFactory(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Primary"] = $"Host=127.0.0.1;Port={ApiProcess.FreePort()};Database=nothing;Username=postgres;Timeout=2",
        });
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", session.AccessToken);
        var response = await client.GetAsync("/v1/projects");
        var problem = await response.AssertProblemAsync(HttpStatusCode.ServiceUnavailable, "service-unavailable");
        Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter!.Delta);
        Assert.DoesNotContain("Npgsql", problem.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain("127.0.0.1", problem.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_lists_every_check_with_status_and_timing_for_admins_only()
    {
        var admin = await this.RegisterAdminAsync(Fixture, Anonymous);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var health = await admin.GetAsync("/health");
        var elapsedMs = clock.Elapsed.TotalMilliseconds;
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        var body = await health.ReadJsonAsync();
        Assert.Contains(body["status"]!.GetValue<string>(), new[] { "healthy", "degraded" });
        var checks = body["checks"]!.AsObject();
        Assert.Equal(["database", "disk", "memory", "queries", "queue", "redis", "replica"], checks.Select(c => c.Key).Order(StringComparer.Ordinal));
        foreach (var (name, check) in checks)
        {
            // A check's own time, in milliseconds: within the request's (fails if it were seconds' ticks or missing).
            Assert.InRange(check!["duration_ms"]!.GetValue<double>(), 0, elapsedMs);
            Assert.Contains(check["status"]!.GetValue<string>(), new[] { "healthy", "degraded", "unhealthy" });
        }
        Assert.Equal("healthy", checks["database"]!["status"]!.GetValue<string>());
        Assert.Equal("healthy", checks["redis"]!["status"]!.GetValue<string>());
        Assert.Equal(0, checks["queue"]!["data"]!["due"]!.GetValue<int>());

        // One check by name: the streaming replica of scripts/services.sh, caught up.
        var replica = await (await admin.GetAsync("/health/replica")).ReadJsonAsync();
        Assert.Equal("healthy", replica["status"]!.GetValue<string>());
        Assert.InRange(replica["data"]!["lag_seconds"]!.GetValue<double>(), 0, 5);
        await (await admin.GetAsync("/health/bogus")).AssertProblemAsync(HttpStatusCode.NotFound, "not-found");

        var user = await this.RegisterUserAsync(Anonymous);
        await (await user.Client.GetAsync("/health")).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await user.Client.GetAsync("/health/database")).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        Assert.Equal(HttpStatusCode.Unauthorized, (await Anonymous().GetAsync("/health")).StatusCode);
    }

    [Fact]
    public async Task Health_is_503_naming_the_database_when_it_is_unreachable()
    {
        var admin = await this.RegisterAdminAsync(Fixture, Anonymous);
        await using var factory = Fixture.CreateFactory(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Primary"] = $"Host=127.0.0.1;Port={ApiProcess.FreePort()};Database=nothing;Username=postgres;Timeout=2",
        });
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = admin.DefaultRequestHeaders.Authorization;
        var response = await client.GetAsync("/health/database");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var check = await response.ReadJsonAsync();
        Assert.Equal("unhealthy", check["status"]!.GetValue<string>());
        Assert.Equal("database unreachable", check["description"]!.GetValue<string>());
        Assert.DoesNotContain("Npgsql", check.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_are_Prometheus_text_with_http_database_runtime_queue_and_render_series()
    {
        await using var worker = Fixture.CreateFactory(Renders.WorkerWith(("Metrics:QueueSampleSeconds", "0.2")));
        var session = await this.RegisterUserAsync(worker.CreateClient);
        var project = (await session.Client.CreateProjectAsync("metrics"))["id"]!.GetValue<string>();
        var id = (await session.Client.SubmitAsync(project, Renders.Small()))["id"]!.GetValue<string>();
        await session.Client.WaitForAsync(id, r => r.Status() == "succeeded");
        await Task.Delay(500); // a queue sample after the render

        var response = await worker.CreateClient().GetAsync("/metrics"); // anonymous, like the probes
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType!.MediaType, StringComparison.Ordinal);
        var text = await response.Content.ReadAsStringAsync();
        foreach (var series in new[]
                 {
                     "http_server_request_duration_seconds_bucket", "db_client_operation_duration_seconds_bucket", "dotnet_gc_collections_total",
                     "renderowl_render_duration_seconds_bucket", "renderowl_render_wait_seconds_bucket", "renderowl_renders_claimed_total",
                 })
        {
            Assert.Contains(series, text, StringComparison.Ordinal);
        }
        Assert.Matches(@"renderowl_renders_finished_total\{[^}]*outcome=""succeeded""[^}]*\} [1-9]", text);
        Assert.Matches(@"renderowl_queue_renders\{[^}]*priority=""normal""[^}]*status=""queued""[^}]*\} 0", text);

        await using var locked = Fixture.CreateFactory(new Dictionary<string, string?> { ["Metrics:RequireAdmin"] = "true" });
        await (await locked.CreateClient().GetAsync("/metrics")).AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task Violations_dropped_when_their_queue_overflows_are_exported()
    {
        await using var factory = Fixture.CreateFactory();
        var recorder = factory.Services.GetRequiredService<RenderOwl.Infrastructure.RateLimiting.ViolationRecorder>();
        var at = DateTimeOffset.UtcNow;
        for (var i = 0; i < RenderOwl.Infrastructure.RateLimiting.ViolationRecorder.Capacity * 3; i++)
        {
            recorder.Record(RenderOwl.Domain.Operations.RateLimitViolation.Record("login:203.0.113.9", "failed-logins", "POST", "/v1/auth/login", "203.0.113.9", at));
        }
        var text = await (await factory.CreateClient().GetAsync("/metrics")).Content.ReadAsStringAsync();
        Assert.Matches(@"renderowl_ratelimit_violations_dropped_total(\{[^}]*\})? [1-9]", text);
    }

    [Fact]
    public async Task Ready_is_503_when_redis_is_unreachable()
    {
        await using var factory = Fixture.CreateFactory(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Redis"] = $"127.0.0.1:{ApiProcess.FreePort()}",
        });
        var problem = await (await factory.CreateClient().GetAsync("/ready")).AssertProblemAsync(HttpStatusCode.ServiceUnavailable, "service-unavailable");
        Assert.Contains("redis", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Error_registry_is_served_and_docs_errors_md_is_generated_from_it()
    {
        var list = (await (await Anonymous().GetAsync("/v1/meta/errors")).ReadJsonAsync()).AsArray();
        Assert.Equal(ErrorCatalog.All.Select(e => e.Slug), list.Select(e => e!["slug"]!.GetValue<string>()));
        Assert.All(list, e => Assert.Equal("https://api.renderowl.com/errors/" + e!["slug"], e["type"]!.GetValue<string>()));
        var doc = await File.ReadAllTextAsync(Path.Combine(TestServices.RepositoryRoot(), "docs", "errors.md"));
        Assert.True(doc == ErrorCatalog.ToMarkdown(), "docs/errors.md is out of date: run `make docs`.");
    }

    [Fact]
    public async Task OpenApi_document_is_3_1_and_lists_the_routes()
    {
        var doc = await (await Anonymous().GetAsync("/openapi/v1.json")).ReadJsonAsync();
        Assert.StartsWith("3.1", doc["openapi"]!.GetValue<string>(), StringComparison.Ordinal);
        var paths = doc["paths"]!.AsObject().Select(p => p.Key).ToList();
        Assert.Contains("/v1/projects", paths);
        Assert.Contains("/v1/projects/{project_id}", paths);
        Assert.Contains("/v1/auth/register", paths);
    }
}
