using System.Text.Json.Nodes;
using Npgsql;
using RenderOwl.Api.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace RenderOwl.Api.IntegrationTests.Fuzz;

/// <summary>
/// At least 5,000 requests from a fixed seed (Fuzz/corpus.json; <c>RENDEROWL_FUZZ_SEED</c> overrides it to replay
/// another run) over every operation of the OpenAPI document: random methods, content types, charsets, bodies
/// (truncated, deeply nested, huge numbers, wrong types, noise), odd headers, valid and invalid credentials,
/// own, foreign and malformed ids. No answer may be 5xx; every 4xx is application/problem+json; a refused
/// request changes no row.
/// </summary>
public sealed class FuzzTests(ApiFixture fixture, ITestOutputHelper output) : ApiTest(fixture)
{
    /// <summary>Written on purpose by refused requests: recorded violations, stored idempotent replies.</summary>
    private static readonly HashSet<string> Unwatched = ["operations.rate_limit_violations", "operations.idempotency_keys", "public.__ef_migrations_history"];

    /// <summary>Tables (and their daily partitions) the instance writes on a timer.</summary>
    private static readonly string[] BackgroundHistory = ["operations.api_metrics", "operations.cache_metrics", "operations.queue_metrics"];

    [Fact]
    public async Task Five_thousand_seeded_requests_get_no_5xx_only_problem_json_4xx_and_no_write_when_refused()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("RENDEROWL_FUZZ_SEED"), out var s) ? s : (int?)null;
        var inputs = FuzzInputs.Load(seed);
        await using var factory = Fixture.CreateFactory();
        var world = await FuzzWorld.CreateAsync(this, factory, Fixture);
        var operations = await world.OperationsAsync();
        Assert.True(operations.Count >= 40, $"only {operations.Count} operations in the OpenAPI document");
        var count = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fuzz", "corpus.json")))!["requests"]!.GetValue<int>();
        await using var db = new NpgsqlConnection(Fixture.ConnectionString);
        await db.OpenAsync();
        var tables = await TablesAsync(db);
        var before = await FingerprintAsync(db, tables);
        var failures = new List<string>();
        var statuses = new Dictionary<int, int>();
        var reached = new HashSet<(string, string)>();

        for (var i = 0; i < count && failures.Count < 10; i++)
        {
            var (method, template) = inputs.Pick(operations);
            reached.Add((method, template));
            if (inputs.Chance(0.1))
            {
                method = inputs.Pick(["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD"]);
            }
            var request = new HttpRequestMessage(new HttpMethod(method), world.Url(method, template, inputs));
            byte[] body = [];
            if (method is "POST" or "PATCH" or "PUT" || inputs.Chance(0.05))
            {
                if (template.EndsWith("/assets", StringComparison.Ordinal) && inputs.Chance(0.5))
                {
                    request.Content = inputs.Multipart();
                }
                else
                {
                    body = inputs.Body(template);
                    request.Content = inputs.Content(body);
                }
            }
            world.Authenticate(request, inputs);
            foreach (var (name, value) in inputs.Headers())
            {
                if (!request.Headers.TryAddWithoutValidation(name, value))
                {
                    request.Content?.Headers.TryAddWithoutValidation(name, value);
                }
            }
            var described = FuzzInputs.Describe(request, body);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            using var response = await world.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var status = (int)response.StatusCode;
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            var type = response.Content.Headers.ContentType?.MediaType;
            if (type != "text/event-stream")
            {
                await response.Content.ReadAsByteArrayAsync(timeout.Token);
            }
            if (status >= 500)
            {
                failures.Add($"#{i}: {status} for {described}");
            }
            else if (status >= 400 && method != "HEAD" && type != "application/problem+json")
            {
                failures.Add($"#{i}: {status} as {type ?? "no content type"} for {described}");
            }
            var after = await FingerprintAsync(db, tables);
            if (status >= 400)
            {
                var changed = before.Where(kv => after[kv.Key] != kv.Value).Select(kv => kv.Key).ToList();
                if (changed.Count > 0)
                {
                    failures.Add($"#{i}: {status} changed {string.Join(", ", changed)} for {described}");
                }
            }
            before = after;
        }
        output.WriteLine($"seed {seed?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "from corpus"}; statuses: "
            + string.Join(", ", statuses.OrderBy(kv => kv.Key).Select(kv => $"{kv.Key}×{kv.Value}")));
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Empty(operations.Except(reached)); // every operation of the document was driven
        Assert.True(statuses.Where(kv => kv.Key is >= 200 and < 300).Sum(kv => kv.Value) > 100, "the fuzz should also reach accepted requests");
    }

    private static async Task<List<string>> TablesAsync(NpgsqlConnection db)
    {
        await using var command = new NpgsqlCommand("""
            SELECT table_schema || '.' || table_name FROM information_schema.tables
            WHERE table_schema NOT IN ('pg_catalog', 'information_schema', 'hangfire') AND table_type = 'BASE TABLE' ORDER BY 1
            """, db);
        var tables = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            tables.Add(reader.GetString(0));
        }
        // The metrics history is written every minute by each instance, whatever the requests do.
        return [.. tables.Where(t => !Unwatched.Contains(t) && !BackgroundHistory.Any(h => t.StartsWith(h, StringComparison.Ordinal)))];
    }

    /// <summary>Per table, a hash over every row's text (api keys without last_used_at, which uses update in the background).</summary>
    private static async Task<Dictionary<string, string>> FingerprintAsync(NpgsqlConnection db, List<string> tables)
    {
        var parts = tables.Select(t => t == "identity.api_keys"
            ? $"SELECT '{t}', count(*)::text || ':' || coalesce(sum(hashtext((r.id, r.name, r.revoked_at, r.key_hash)::text)::bigint), 0)::text FROM {t} r"
            : $"SELECT '{t}', count(*)::text || ':' || coalesce(sum(hashtext(r::text)::bigint), 0)::text FROM {t} r");
        await using var command = new NpgsqlCommand(string.Join(" UNION ALL ", parts), db);
        var result = new Dictionary<string, string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            result[reader.GetString(0)] = reader.GetString(1);
        }
        return result;
    }
}
