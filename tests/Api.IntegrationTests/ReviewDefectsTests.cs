using System.Net;
using System.Net.Http.Json;
using RenderOwl.Api.IntegrationTests.Infrastructure;

namespace RenderOwl.Api.IntegrationTests;

/// <summary>Defects a code review found (render_count, the variables shorthand).</summary>
public sealed class ReviewDefectsTests(ApiFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public async Task A_projects_render_count_counts_single_and_batch_submissions()
    {
        var session = await this.RegisterUserAsync(Anonymous);
        var project = (await session.Client.CreateProjectAsync("counted"))["id"]!.GetValue<string>();
        var other = (await session.Client.CreateProjectAsync("other"))["id"]!.GetValue<string>();
        Assert.Equal(0, (await (await session.Client.GetAsync($"/v1/projects/{project}")).ReadJsonAsync())["render_count"]!.GetValue<int>());

        await session.Client.SubmitAsync(project, Renders.Small());
        Assert.Equal(HttpStatusCode.Accepted, (await session.Client.PostAsJsonAsync($"/v1/projects/{project}/renders/batch",
            new { renders = new[] { Renders.Small(), Renders.Small(), Renders.Small() } })).StatusCode);
        // A refused batch counts nothing.
        var bad = Renders.Small(width: 15);
        Assert.Equal(HttpStatusCode.BadRequest, (await session.Client.PostAsJsonAsync($"/v1/projects/{project}/renders/batch", new { renders = new[] { Renders.Small(), bad } })).StatusCode);

        Assert.Equal(4, (await (await session.Client.GetAsync($"/v1/projects/{project}")).ReadJsonAsync())["render_count"]!.GetValue<int>());
        var list = (await (await session.Client.GetAsync("/v1/projects")).ReadJsonAsync())["items"]!.AsArray();
        Assert.Equal(4, list.Single(p => p!["id"]!.GetValue<string>() == project)!["render_count"]!.GetValue<int>());
        Assert.Equal(0, list.Single(p => p!["id"]!.GetValue<string>() == other)!["render_count"]!.GetValue<int>());
    }

    [Fact]
    public async Task Template_variables_accept_the_bare_string_shorthand()
    {
        var session = await this.RegisterUserAsync(Anonymous);
        var created = await session.Client.PostAsync("/v1/templates", TestHttp.Json("""
            {"name":"short","variables":["title",{"name":"color","default":"#ff0000"}],
             "composition":{"duration":1,"background":"{{color}}","layers":[{"type":"text","text":"{{title}}","start":0}]}}
            """));
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var template = await created.ReadJsonAsync();
        var variables = template["variables"]!.AsArray();
        Assert.Equal("title", variables[0]!["name"]!.GetValue<string>());
        Assert.Null(variables[0]!["default"]);
        Assert.Equal("#ff0000", variables[1]!["default"]!.GetValue<string>());
        var id = template["id"]!.GetValue<string>();

        // "title" has no default, so it is required.
        var missing = await session.Client.PostAsJsonAsync($"/v1/templates/{id}/resolve", new { modifications = new { } });
        var problem = await missing.AssertProblemAsync(HttpStatusCode.BadRequest, "validation-failed");
        Assert.Equal("modifications.title", problem["errors"]![0]!["field"]!.GetValue<string>());
        var resolved = await (await session.Client.PostAsJsonAsync($"/v1/templates/{id}/resolve", new { modifications = new { title = "Hi" } })).ReadJsonAsync();
        Assert.Equal("Hi", resolved["composition"]!["layers"]![0]!["text"]!.GetValue<string>());

        var wrongType = await session.Client.PostAsync("/v1/templates", TestHttp.Json("""{"name":"bad","variables":[42],"composition":{"duration":1,"layers":[]}}"""));
        await wrongType.AssertProblemAsync(HttpStatusCode.BadRequest, "validation-failed");
    }

    [Fact]
    public async Task A_batch_with_a_null_render_is_400_naming_it()
    {
        var session = await this.RegisterUserAsync(Anonymous);
        var project = (await session.Client.CreateProjectAsync("nulls"))["id"]!.GetValue<string>();
        var response = await session.Client.PostAsync($"/v1/projects/{project}/renders/batch", TestHttp.Json("""{"renders":[null]}"""));
        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation-failed");
        Assert.Equal("renders[0]", problem["errors"]![0]!["field"]!.GetValue<string>());
        Assert.Empty((await (await session.Client.GetAsync($"/v1/projects/{project}/renders")).ReadJsonAsync())["items"]!.AsArray());
    }
}
