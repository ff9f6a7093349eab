using System.Net;
using System.Text.Json.Nodes;
using Npgsql;
using RenderOwl.Api.IntegrationTests.Infrastructure;

namespace RenderOwl.Api.IntegrationTests;

public sealed class PaginationTests(ApiFixture fixture) : ApiTest(fixture)
{
    private const int Count = 250;

    private async Task<(Session Session, List<(DateTimeOffset CreatedAt, Guid Id, string PublicId)> Expected)> SeedAsync()
    {
        var session = await this.RegisterUserAsync(Anonymous);
        for (var i = 0; i < Count; i++)
        {
            await session.Client.CreateProjectAsync($"project {i:000}");
        }
        // Ten projects share one created_at, so the id tie-breaker is exercised too.
        await using var connection = new NpgsqlConnection(Fixture.ConnectionString);
        await connection.OpenAsync();
        await using (var tie = new NpgsqlCommand(
            "UPDATE projects.projects SET created_at = '2026-01-01T00:00:00Z' WHERE id IN (SELECT id FROM projects.projects ORDER BY id LIMIT 10 OFFSET 100)", connection))
        {
            Assert.Equal(10, await tie.ExecuteNonQueryAsync());
        }
        var expected = new List<(DateTimeOffset, Guid, string)>();
        await using var read = new NpgsqlCommand("SELECT created_at, id FROM projects.projects ORDER BY created_at DESC, id DESC", connection);
        await using var reader = await read.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var id = reader.GetGuid(1);
            expected.Add((reader.GetFieldValue<DateTimeOffset>(0), id, "proj_" + Domain.Common.CrockfordBase32.Encode(id)));
        }
        return (session, expected);
    }

    [Fact]
    public async Task Walking_by_page_then_by_cursor_returns_every_project_once_in_order()
    {
        var (session, expected) = await SeedAsync();
        var ids = expected.Select(e => e.PublicId).ToList();

        var byPage = new List<string>();
        for (var page = 1; ; page++)
        {
            var body = await GetPageAsync(session.Client, $"/v1/projects?page={page}&page_size=20");
            var meta = body["metadata"]!;
            Assert.Equal("offset", meta["strategy"]!.GetValue<string>());
            Assert.Equal(Count, meta["total"]!.GetValue<long>());
            Assert.Equal(13, meta["total_pages"]!.GetValue<int>());
            Assert.Equal(page > 1, meta["has_prev"]!.GetValue<bool>());
            byPage.AddRange(Ids(body));
            if (!meta["has_next"]!.GetValue<bool>())
            {
                Assert.Null(meta["next_cursor"]);
                break;
            }
            Assert.False(string.IsNullOrEmpty(meta["next_cursor"]?.GetValue<string>()));
        }
        Assert.Equal(ids, byPage);

        var byCursor = new List<string>();
        string? cursor = null;
        do
        {
            var url = cursor is null ? "/v1/projects?page_size=33" : $"/v1/projects?page_size=33&cursor={Uri.EscapeDataString(cursor)}";
            var body = await GetPageAsync(session.Client, url);
            byCursor.AddRange(Ids(body));
            var meta = body["metadata"]!;
            cursor = meta["has_next"]!.GetValue<bool>() ? meta["next_cursor"]!.GetValue<string>() : null;
            Assert.True(meta["page_size"]!.GetValue<int>() == 33);
        }
        while (cursor is not null);
        Assert.Equal(ids, byCursor);
    }

    [Fact]
    public async Task An_offset_page_hands_over_to_the_cursor()
    {
        var (session, expected) = await SeedAsync();
        var page3 = await GetPageAsync(session.Client, "/v1/projects?page=3&page_size=20");
        var next = page3["metadata"]!["next_cursor"]!.GetValue<string>();
        var continued = await GetPageAsync(session.Client, $"/v1/projects?page_size=20&cursor={Uri.EscapeDataString(next)}");
        Assert.Equal("cursor", continued["metadata"]!["strategy"]!.GetValue<string>());
        Assert.Null(continued["metadata"]!["total"]);
        Assert.Equal(expected.Skip(60).Take(20).Select(e => e.PublicId), Ids(continued));
    }

    [Fact]
    public async Task Tampered_cursor_is_400_invalid_cursor()
    {
        var session = await this.RegisterUserAsync(Anonymous);
        for (var i = 0; i < 3; i++)
        {
            await session.Client.CreateProjectAsync($"p{i}");
        }
        var cursor = (await GetPageAsync(session.Client, "/v1/projects?page_size=1"))["metadata"]!["next_cursor"]!.GetValue<string>();
        var tampered = (cursor[0] == 'A' ? 'B' : 'A') + cursor[1..];
        foreach (var bad in new[] { tampered, cursor[..^2], "not-a-cursor", "AAAA" })
        {
            var response = await session.Client.GetAsync($"/v1/projects?cursor={Uri.EscapeDataString(bad)}");
            await response.AssertProblemAsync(HttpStatusCode.BadRequest, "invalid-cursor");
        }
    }

    [Fact]
    public async Task A_page_past_the_depth_limit_is_400_naming_the_cursor()
    {
        var session = await this.RegisterUserAsync(Anonymous);
        var ok = await session.Client.GetAsync("/v1/projects?page=50&page_size=20"); // offset 980 < 1000
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        var response = await session.Client.GetAsync("/v1/projects?page=51&page_size=20"); // offset 1000
        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "pagination-too-deep");
        Assert.Contains("cursor", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("page_size=0", "page_size")]
    [InlineData("page_size=101", "page_size")]
    [InlineData("page=0", "page")]
    [InlineData("page_size=abc", "page_size")]
    public async Task Bad_page_parameters_are_validation_problems(string query, string field)
    {
        var session = await this.RegisterUserAsync(Anonymous);
        var problem = await (await session.Client.GetAsync("/v1/projects?" + query)).AssertProblemAsync(HttpStatusCode.BadRequest, "validation-failed");
        Assert.Equal(field, problem["errors"]![0]!["field"]!.GetValue<string>());
    }

    private static async Task<JsonNode> GetPageAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.ReadJsonAsync();
    }

    private static IEnumerable<string> Ids(JsonNode body) => body["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>());
}
