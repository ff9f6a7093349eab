using System.Net;
using System.Text.Json.Nodes;
using RenderOwl.Api.IntegrationTests.Infrastructure;
using Serilog.Events;

namespace RenderOwl.Api.IntegrationTests;

/// <summary><c>/internal/db/*</c>: the query profiler on real commands against the real PostgreSQL (primary and replica).</summary>
public sealed class QueryProfilerTests(ApiFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public async Task A_request_that_loads_a_list_and_then_each_item_by_id_is_flagged_as_N_plus_one_with_its_route()
    {
        var capture = new LogCapture();
        await using var factory = capture.Attach(TestOnlyController.With(Fixture.CreateFactory()));
        var admin = await this.RegisterAdminAsync(Fixture, factory.CreateClient);
        var user = await this.RegisterUserAsync(factory.CreateClient);
        for (var i = 0; i < 12; i++)
        {
            await user.Client.CreateProjectAsync($"item {i}");
        }
        Assert.Equal(HttpStatusCode.OK, (await user.Client.SendAsync(TestHttp.Request(HttpMethod.Get, "/v1/test-only/n-plus-one", null, ("X-Request-Id", "n-plus-one")))).StatusCode);

        var stats = await (await admin.GetAsync("/internal/db/stats")).ReadJsonAsync();
        var suspect = Assert.Single(stats["n_plus_one"]!.AsArray(), s => s!["route"]!.GetValue<string>() == "GET /v1/test-only/n-plus-one")!;
        Assert.Equal(12, suspect["calls_per_request"]!.GetValue<int>());
        var statement = suspect["statement"]!.GetValue<string>();
        Assert.Contains("FROM projects.projects", statement, StringComparison.Ordinal);
        Assert.Contains("= ?", statement, StringComparison.Ordinal); // the id is a parameter, folded
        var warning = Assert.Single(capture.Events, e => e.MessageTemplate.Text.StartsWith("N+1 suspect", StringComparison.Ordinal));
        Assert.Equal(LogEventLevel.Warning, warning.Level);
        Assert.Equal("GET /v1/test-only/n-plus-one", LogCapture.Property(warning, "Route"));
        Assert.Equal("n-plus-one", LogCapture.Property(warning, "RequestId"));
        // Creating twelve projects, one per request, is not an N+1.
        Assert.DoesNotContain(stats["n_plus_one"]!.AsArray(), s => s!["route"]!.GetValue<string>() == "POST /v1/projects");
    }

    [Fact]
    public async Task A_slow_statement_is_kept_with_its_route_and_request_id_and_reset_empties_the_figures()
    {
        await using var factory = TestOnlyController.With(Fixture.CreateFactory());
        var admin = await this.RegisterAdminAsync(Fixture, factory.CreateClient);
        var user = await this.RegisterUserAsync(factory.CreateClient);
        var response = await user.Client.SendAsync(TestHttp.Request(HttpMethod.Get, "/v1/test-only/pg-sleep", null, ("X-Request-Id", "sleepy")));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var slow = (await (await admin.GetAsync("/internal/db/slow-queries")).ReadJsonAsync())["items"]!.AsArray();
        var sleep = Assert.Single(slow, q => q!["statement"]!.GetValue<string>().Contains("pg_sleep", StringComparison.Ordinal))!;
        Assert.Equal("SELECT ? AS \"Value\" FROM pg_sleep(?)", sleep["statement"]!.GetValue<string>());
        Assert.InRange(sleep["duration_ms"]!.GetValue<double>(), 150, 10_000);
        Assert.False(sleep["critical"]!.GetValue<bool>());
        Assert.Equal("GET /v1/test-only/pg-sleep", sleep["route"]!.GetValue<string>());
        Assert.Equal("sleepy", sleep["request_id"]!.GetValue<string>());
        Assert.Equal("primary", sleep["database"]!.GetValue<string>());

        var queries = (await (await admin.GetAsync("/internal/db/queries")).ReadJsonAsync())["items"]!.AsArray();
        var row = Statement(queries, "SELECT ? AS \"Value\" FROM pg_sleep(?)");
        Assert.Equal(1, row["calls"]!.GetValue<long>());
        Assert.Equal(1, row["slow_calls"]!.GetValue<long>());
        Assert.Equal(0, row["critical_calls"]!.GetValue<long>());
        Assert.InRange(row["p50_ms"]!.GetValue<double>(), 148, 10_000); // the histogram's 1 %
        Assert.True(row["max_ms"]!.GetValue<double>() >= 150);
        // Sorted by total time: the sleep outweighs every quick statement of this test.
        Assert.Equal(queries.Select(q => q!["total_ms"]!.GetValue<double>()).OrderByDescending(t => t), queries.Select(q => q!["total_ms"]!.GetValue<double>()));

        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsync("/internal/db/queries/reset", null)).StatusCode);
        Assert.Empty((await (await admin.GetAsync("/internal/db/slow-queries")).ReadJsonAsync())["items"]!.AsArray());
        var after = (await (await admin.GetAsync("/internal/db/queries")).ReadJsonAsync())["items"]!.AsArray();
        Assert.DoesNotContain(after, q => q!["statement"]!.GetValue<string>().Contains("pg_sleep", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Two_calls_that_differ_only_by_their_literals_are_one_statement()
    {
        await using var factory = TestOnlyController.With(Fixture.CreateFactory());
        var admin = await this.RegisterAdminAsync(Fixture, factory.CreateClient);
        var user = await this.RegisterUserAsync(factory.CreateClient);
        Assert.Equal(2, (await (await user.Client.GetAsync("/v1/test-only/literals/1")).ReadJsonAsync())["value"]!.GetValue<int>());
        Assert.Equal(43, (await (await user.Client.GetAsync("/v1/test-only/literals/42")).ReadJsonAsync())["value"]!.GetValue<int>());

        var queries = (await (await admin.GetAsync("/internal/db/queries")).ReadJsonAsync())["items"]!.AsArray();
        Assert.Equal(2, Statement(queries, "SELECT s.\"Value\" FROM ( SELECT ? + ? AS \"Value\" ) AS s LIMIT ?")["calls"]!.GetValue<long>());
        Assert.DoesNotContain(queries, q => q!["statement"]!.GetValue<string>().Contains("42", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Raw_Npgsql_commands_are_recorded_beside_EFs()
    {
        await using var factory = Fixture.CreateFactory();
        var admin = await this.RegisterAdminAsync(Fixture, factory.CreateClient);
        var user = await this.RegisterUserAsync(factory.CreateClient);
        var create = TestHttp.Request(HttpMethod.Post, "/v1/projects", new { name = "idempotent" }, ("Idempotency-Key", "profiled-key"));
        Assert.Equal(HttpStatusCode.Created, (await user.Client.SendAsync(create)).StatusCode);

        var statements = (await (await admin.GetAsync("/internal/db/queries")).ReadJsonAsync())["items"]!.AsArray()
            .Select(q => q!["statement"]!.GetValue<string>()).ToList();
        Assert.Contains(statements, s => s.Contains("INSERT INTO operations.idempotency_keys", StringComparison.Ordinal)); // IdempotencyStore: raw Npgsql
        Assert.Contains(statements, s => s.Contains("INSERT INTO projects.projects", StringComparison.Ordinal)); // EF Core
    }

    [Fact]
    public async Task Pools_and_server_figures_come_from_Npgsql_and_PostgreSQL()
    {
        await using var factory = Fixture.CreateFactory(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Primary"] = Fixture.ConnectionString + ";Maximum Pool Size=37",
        });
        var admin = await this.RegisterAdminAsync(Fixture, factory.CreateClient);
        await admin.CreateProjectAsync("sized");

        var pools = await (await admin.GetAsync("/internal/db/pool")).ReadJsonAsync();
        var primary = pools["primary"]!;
        Assert.Equal(37, primary["max_size"]!.GetValue<int>());
        Assert.True(primary["busy"]!.GetValue<int>() + primary["idle"]!.GetValue<int>() >= 1);
        Assert.InRange(primary["busy"]!.GetValue<int>() + primary["idle"]!.GetValue<int>(), 1, 37);
        Assert.Equal(0, primary["waiting"]!.GetValue<int>());
        if (Fixture.ReplicaConnectionString is not null)
        {
            Assert.Equal(100, pools["replica"]!["max_size"]!.GetValue<int>()); // Npgsql's default
        }

        var stats = await (await admin.GetAsync("/internal/db/stats")).ReadJsonAsync();
        Assert.Contains(stats["health"]!.GetValue<string>(), new[] { "healthy", "degraded", "unhealthy" });
        var projects = Assert.Single(stats["tables"]!.AsArray(), t => t!["name"]!.GetValue<string>() == "projects.projects")!;
        Assert.True(projects["total_bytes"]!.GetValue<long>() > 0);
        Assert.True(projects["index_bytes"]!.GetValue<long>() > 0);
        Assert.InRange(stats["cache_hit_ratio"]!.GetValue<double>(), 0.01, 1);
        // scripts/services.sh preloads pg_stat_statements and creates it in template1, so this run's database has it.
        var server = stats["pg_stat_statements"]!.AsArray();
        Assert.NotEmpty(server);
        Assert.All(server, s => Assert.True(s!["calls"]!.GetValue<long>() > 0));
    }

    [Fact]
    public async Task The_profilers_health_is_in_health_as_a_check_that_never_makes_it_unhealthy()
    {
        await using var factory = TestOnlyController.With(Fixture.CreateFactory());
        var admin = await this.RegisterAdminAsync(Fixture, factory.CreateClient);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsync("/internal/db/queries/reset", null)).StatusCode);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/v1/test-only/pg-sleep")).StatusCode);
        }

        var check = await (await admin.GetAsync("/health/queries")).ReadJsonAsync(); // 503 for one check that is unhealthy
        Assert.Equal("unhealthy", check["status"]!.GetValue<string>());
        Assert.True(check["data"]!["slow_percentage"]!.GetValue<double>() >= 10);
        var health = await admin.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        var body = await health.ReadJsonAsync();
        Assert.Equal("unhealthy", body["checks"]!["queries"]!["status"]!.GetValue<string>());
        Assert.NotEqual("unhealthy", body["status"]!.GetValue<string>());
        var stats = await (await admin.GetAsync("/internal/db/stats")).ReadJsonAsync();
        Assert.Equal("unhealthy", stats["health"]!.GetValue<string>());
    }

    private static JsonNode Statement(JsonArray queries, string statement)
        => queries.SingleOrDefault(q => q!["statement"]!.GetValue<string>() == statement)
            ?? throw new Xunit.Sdk.XunitException($"no row '{statement}' in:\n" + string.Join("\n", queries.Select(q => q!["statement"]!.GetValue<string>())));
}
