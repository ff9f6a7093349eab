using System.Net;
using System.Text.Json.Nodes;
using RenderOwl.Api.IntegrationTests.Infrastructure;
using Serilog.Events;

namespace RenderOwl.Api.IntegrationTests;

/// <summary><c>/internal/performance/*</c>: per-route figures from real requests to routes of known speed and outcome.</summary>
public sealed class PerformanceMonitorTests(ApiFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public async Task Routes_show_the_count_and_percentiles_of_a_route_that_sleeps_a_known_time()
    {
        await using var factory = TestOnlyController.With(Fixture.CreateFactory());
        var admin = await this.RegisterAdminAsync(Fixture, factory.CreateClient);
        var client = factory.CreateClient();
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/test-only/sleep/40")).StatusCode);
        }
        for (var i = 0; i < 8; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/test-only/sleep/160")).StatusCode);
        }

        var report = await (await admin.GetAsync("/internal/performance/routes")).ReadJsonAsync();
        Assert.Equal(900, report["window_seconds"]!.GetValue<int>());
        var fast = Route(report, "GET /v1/test-only/sleep/{ms:int}");
        // Both sleeps share one template: 28 requests, the slower eight above the 20 fast ones.
        Assert.Equal(28, fast["count"]!.GetValue<long>());
        Assert.Equal(0, fast["errors"]!.GetValue<long>());
        Assert.InRange(fast["p50_ms"]!.GetValue<double>(), 40, 160);
        Assert.InRange(fast["p95_ms"]!.GetValue<double>(), 160, 1_000);
        Assert.InRange(fast["max_ms"]!.GetValue<double>(), 160, 1_000);
        Assert.True(fast["p99_ms"]!.GetValue<double>() >= fast["p95_ms"]!.GetValue<double>());
        Assert.True(fast["max_ms"]!.GetValue<double>() >= fast["p99_ms"]!.GetValue<double>() * 0.99); // the histogram's 1 %

        // slow-routes: at most ten, highest p95 first (sign-up's password hashing may outrank the sleep), the sleep among them.
        var slow = (await (await admin.GetAsync("/internal/performance/slow-routes")).ReadJsonAsync())["items"]!.AsArray();
        Assert.InRange(slow.Count, 2, 10);
        Assert.Contains(slow, r => r!["route"]!.GetValue<string>() == "GET /v1/test-only/sleep/{ms:int}");
        var p95s = slow.Select(r => r!["p95_ms"]!.GetValue<double>()).ToList();
        Assert.Equal(p95s.OrderByDescending(p => p), p95s);
        Assert.Empty((await (await admin.GetAsync("/internal/performance/error-routes")).ReadJsonAsync())["items"]!.AsArray());
    }

    [Fact]
    public async Task A_route_failing_over_ten_percent_of_a_hundred_requests_is_listed_flagged_and_logged_once()
    {
        var capture = new LogCapture();
        await using var factory = capture.Attach(TestOnlyController.With(Fixture.CreateFactory()));
        var admin = await this.RegisterAdminAsync(Fixture, factory.CreateClient);
        var client = factory.CreateClient();
        for (var i = 0; i < 99; i++)
        {
            Assert.Equal(HttpStatusCode.InternalServerError, (await client.GetAsync("/v1/test-only/fail")).StatusCode);
        }
        var before = await (await admin.GetAsync("/internal/performance/error-routes")).ReadJsonAsync();
        var listed = Route(before, "GET /v1/test-only/fail");
        Assert.Equal(99, listed["errors"]!.GetValue<long>());
        Assert.False(listed["flagged"]!.GetValue<bool>()); // 99 requests: not yet enough to judge
        Assert.Empty(ErrorRateWarnings(capture));

        for (var i = 0; i < 30; i++)
        {
            Assert.Equal(HttpStatusCode.InternalServerError, (await client.GetAsync("/v1/test-only/fail")).StatusCode);
        }
        var after = await (await admin.GetAsync("/internal/performance/error-routes")).ReadJsonAsync();
        var flagged = Route(after, "GET /v1/test-only/fail");
        Assert.Equal(129, flagged["count"]!.GetValue<long>());
        Assert.Equal(1.0, flagged["error_rate"]!.GetValue<double>());
        Assert.True(flagged["flagged"]!.GetValue<bool>());
        var warning = Assert.Single(ErrorRateWarnings(capture)); // once per window, not once per failed request
        Assert.Equal("GET /v1/test-only/fail", LogCapture.Property(warning, "Route"));
        // Routes without server errors are not in error-routes.
        Assert.All(after["items"]!.AsArray(), r => Assert.True(r!["errors"]!.GetValue<long>() > 0));
    }

    [Fact]
    public async Task A_request_over_the_slow_threshold_is_logged_as_a_warning_with_its_route_and_request_id()
    {
        var capture = new LogCapture();
        await using var factory = capture.Attach(TestOnlyController.With(Fixture.CreateFactory(new Dictionary<string, string?> { ["Performance:SlowRequestMs"] = "100" })));
        var client = factory.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(TestHttp.Request(HttpMethod.Get, "/v1/test-only/sleep/20", null, ("X-Request-Id", "quick-one")))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(TestHttp.Request(HttpMethod.Get, "/v1/test-only/sleep/150", null, ("X-Request-Id", "slow-one")))).StatusCode);

        var slow = Assert.Single(capture.Events, e => e.MessageTemplate.Text.StartsWith("Slow request", StringComparison.Ordinal));
        Assert.Equal(LogEventLevel.Warning, slow.Level);
        Assert.Equal("GET /v1/test-only/sleep/{ms:int}", LogCapture.Property(slow, "Route"));
        Assert.Equal("slow-one", LogCapture.Property(slow, "SlowRequestId"));
        Assert.Equal("slow-one", LogCapture.Property(slow, "RequestId"));
        Assert.True(double.Parse(LogCapture.Property(slow, "ElapsedMs")!, System.Globalization.CultureInfo.InvariantCulture) >= 150);
    }

    [Fact]
    public async Task System_reports_the_process_figures()
    {
        await using var factory = TestOnlyController.With(Fixture.CreateFactory());
        var admin = await this.RegisterAdminAsync(Fixture, factory.CreateClient);
        for (var i = 0; i < 10; i++)
        {
            await factory.CreateClient().GetAsync("/v1/test-only/sleep/1");
        }
        var system = await (await admin.GetAsync("/internal/performance/system")).ReadJsonAsync();
        Assert.True(system["uptime_seconds"]!.GetValue<double>() > 0);
        Assert.True(system["requests_per_second"]!.GetValue<double>() > 0);
        Assert.InRange(system["cpu_percent"]!.GetValue<double>(), 0, 100);
        Assert.True(system["memory"]!["working_set_bytes"]!.GetValue<long>() > 10_000_000);
        Assert.True(system["memory"]!["gc_heap_bytes"]!.GetValue<long>() > 0);
        Assert.True(system["gc"]!["gen0"]!.GetValue<int>() >= system["gc"]!["gen2"]!.GetValue<int>());
        Assert.InRange(system["gc"]!["pause_percent"]!.GetValue<double>(), 0, 100);
        Assert.True(system["thread_pool"]!["threads"]!.GetValue<int>() > 0);
        Assert.True(system["thread_pool"]!["queue_length"]!.GetValue<long>() >= 0);

        var user = await this.RegisterUserAsync(factory.CreateClient);
        await (await user.Client.GetAsync("/internal/performance/system")).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await factory.CreateClient().GetAsync("/internal/performance/routes")).AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
    }

    private static JsonNode Route(JsonNode report, string route)
        => report["items"]!.AsArray().SingleOrDefault(r => r!["route"]!.GetValue<string>() == route)
            ?? throw new Xunit.Sdk.XunitException($"{route} is not in {report.ToJsonString()}");

    private static List<LogEvent> ErrorRateWarnings(LogCapture capture)
        => [.. capture.Events.Where(e => e.MessageTemplate.Text.StartsWith("High error rate", StringComparison.Ordinal))];
}
