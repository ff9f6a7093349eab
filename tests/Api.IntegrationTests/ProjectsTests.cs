using System.Net;
using System.Net.Http.Json;
using RenderOwl.Api.IntegrationTests.Infrastructure;

namespace RenderOwl.Api.IntegrationTests;

public sealed class ProjectsTests(ApiFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public async Task Create_get_patch_delete_round_trip()
    {
        var session = await this.RegisterUserAsync(Anonymous);
        var created = await session.Client.PostAsJsonAsync("/v1/projects", new { name = "  Launch  ", description = "Q4 teaser" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var project = await created.ReadJsonAsync();
        var id = project["id"]!.GetValue<string>();
        Assert.Equal($"/v1/projects/{id}", created.Headers.Location!.ToString());
        Assert.Equal("Launch", project["name"]!.GetValue<string>());
        Assert.Equal(0, project["render_count"]!.GetValue<int>());
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$", project["created_at"]!.GetValue<string>());

        var patched = await session.Client.PatchAsJsonAsync($"/v1/projects/{id}", new { description = (string?)null });
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        var after = await patched.ReadJsonAsync();
        Assert.Equal("Launch", after["name"]!.GetValue<string>()); // absent: unchanged
        Assert.Null(after["description"]); // present as null: cleared

        Assert.Equal(HttpStatusCode.NoContent, (await session.Client.DeleteAsync($"/v1/projects/{id}")).StatusCode);
        await (await session.Client.GetAsync($"/v1/projects/{id}")).AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task Another_accounts_project_is_404_for_every_method()
    {
        var owner = await this.RegisterUserAsync(Anonymous);
        var id = (await owner.Client.CreateProjectAsync("Mine"))["id"]!.GetValue<string>();
        var other = await this.RegisterUserAsync(Anonymous);

        await (await other.Client.GetAsync($"/v1/projects/{id}")).AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
        await (await other.Client.PatchAsJsonAsync($"/v1/projects/{id}", new { name = "Stolen" })).AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
        await (await other.Client.DeleteAsync($"/v1/projects/{id}")).AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
        var list = await (await other.Client.GetAsync("/v1/projects")).ReadJsonAsync();
        Assert.Empty(list["items"]!.AsArray());
        // The owner still has it, unchanged.
        var mine = await (await owner.Client.GetAsync($"/v1/projects/{id}")).ReadJsonAsync();
        Assert.Equal("Mine", mine["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Malformed_ids_are_400_invalid_id()
    {
        var session = await this.RegisterUserAsync(Anonymous);
        foreach (var bad in new[] { "proj_bad", "usr_01m84m650ze9qrgnbyzgm09bz5", "proj_01m84m650ze9qrgnbyzgm09bzu", "proj_81m84m650ze9qrgnbyzgm09bz5", "1234" })
        {
            await (await session.Client.GetAsync($"/v1/projects/{bad}")).AssertProblemAsync(HttpStatusCode.BadRequest, "invalid-id");
        }
    }

    [Fact]
    public async Task Empty_name_is_a_400_naming_the_field()
    {
        var session = await this.RegisterUserAsync(Anonymous);
        var response = await session.Client.PostAsJsonAsync("/v1/projects", new { name = "   " });
        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation-failed");
        Assert.Equal("name", problem["errors"]![0]!["field"]!.GetValue<string>());

        var patch = await session.Client.PatchAsJsonAsync($"/v1/projects/{(await session.Client.CreateProjectAsync("ok"))["id"]}", new { name = "" });
        var patchProblem = await patch.AssertProblemAsync(HttpStatusCode.BadRequest, "validation-failed");
        Assert.Equal("name", patchProblem["errors"]![0]!["field"]!.GetValue<string>());
    }

    [Fact]
    public async Task Wrong_json_type_is_a_400_with_the_field_path()
    {
        var session = await this.RegisterUserAsync(Anonymous);
        var response = await session.Client.PostAsync("/v1/projects", TestHttp.Json("""{"name": 42}"""));
        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation-failed");
        Assert.Equal("name", problem["errors"]![0]!["field"]!.GetValue<string>());
        Assert.Equal("invalid_type", problem["errors"]![0]!["code"]!.GetValue<string>());
        Assert.DoesNotContain("System.", problem.ToJsonString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"name": "x",""")]
    [InlineData("""{name: 'x'}""")]
    [InlineData("not json at all")]
    [InlineData("")]
    public async Task Malformed_json_is_400_never_500(string body)
    {
        var session = await this.RegisterUserAsync(Anonymous);
        var response = await session.Client.PostAsync("/v1/projects", TestHttp.Json(body));
        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation-failed");
    }

    [Fact]
    public async Task Json_deeper_than_32_levels_is_400()
    {
        var session = await this.RegisterUserAsync(Anonymous);
        var deep = """{"name": "x", "description": """ + new string('[', 40) + new string(']', 40) + "}";
        var response = await session.Client.PostAsync("/v1/projects", TestHttp.Json(deep));
        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation-failed");
        Assert.Equal("too_deep", problem["errors"]![0]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Unsupported_content_type_is_415_problem()
    {
        var session = await this.RegisterUserAsync(Anonymous);
        var response = await session.Client.PostAsync("/v1/projects", new StringContent("name=x", System.Text.Encoding.UTF8, "application/x-www-form-urlencoded"));
        await response.AssertProblemAsync(HttpStatusCode.UnsupportedMediaType, "unsupported-media-type");
    }
}
