using System.Net.Http.Json;
using System.Text.Json.Nodes;
using RenderOwl.Api.IntegrationTests.Infrastructure;

namespace RenderOwl.Api.IntegrationTests;

/// <summary>
/// The first page of <c>GET /v1/projects</c> is served from the cache once read, and every change to the account's
/// projects — a project created, renamed or deleted, a render submitted (its render_count) — shows on the next read.
/// </summary>
public sealed class ProjectFirstPageCacheTests(ApiFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public async Task A_first_page_read_again_runs_no_query()
    {
        var session = await this.RegisterUserAsync(Anonymous);
        await session.Client.CreateProjectAsync("one");
        await session.Client.CreateProjectAsync("two");
        var first = await (await session.Client.GetAsync("/v1/projects")).ReadJsonAsync();

        using var trace = new DbCommandTrace();
        var again = await session.Client.GetAsync("/v1/projects?page=1");

        Assert.Empty(trace.Of(again));
        Assert.Equal(first.ToJsonString(), (await again.ReadJsonAsync()).ToJsonString());
        var deeper = await session.Client.GetAsync("/v1/projects?page_size=1&page=2"); // other pages read the database
        Assert.NotEmpty(trace.Of(deeper));
    }

    [Fact]
    public async Task Every_change_to_the_accounts_projects_shows_on_the_next_read()
    {
        var session = await this.RegisterUserAsync(Anonymous);
        var other = await this.RegisterUserAsync(Anonymous);
        var kept = (string)(await session.Client.CreateProjectAsync("kept"))["id"]!;
        Assert.Equal(["kept"], await NamesAsync(session.Client));
        Assert.Empty(await NamesAsync(other.Client)); // each account its own page

        var added = (string)(await session.Client.CreateProjectAsync("added"))["id"]!;
        Assert.Equal(["added", "kept"], await NamesAsync(session.Client));

        Assert.True((await session.Client.PatchAsJsonAsync($"/v1/projects/{added}", new { name = "renamed" })).IsSuccessStatusCode);
        Assert.Equal(["renamed", "kept"], await NamesAsync(session.Client));

        await session.Client.SubmitAsync(kept, Renders.Small());
        var page = await (await session.Client.GetAsync("/v1/projects")).ReadJsonAsync();
        Assert.Equal(1, page["items"]!.AsArray().Single(i => (string)i!["id"]! == kept)!["render_count"]!.GetValue<int>());

        Assert.True((await session.Client.DeleteAsync($"/v1/projects/{added}")).IsSuccessStatusCode);
        var afterDelete = await (await session.Client.GetAsync("/v1/projects")).ReadJsonAsync();
        Assert.Equal(["kept"], Names(afterDelete));
        Assert.Equal(1, afterDelete["metadata"]!["total"]!.GetValue<long>());
        Assert.Equal(["kept"], await NamesAsync(session.Client, "?page_size=20")); // the same page named by its default
    }

    private static async Task<string[]> NamesAsync(HttpClient client, string query = "")
        => Names(await (await client.GetAsync("/v1/projects" + query)).ReadJsonAsync());

    private static string[] Names(JsonNode page) => page["items"]!.AsArray().Select(i => (string)i!["name"]!).ToArray();
}
