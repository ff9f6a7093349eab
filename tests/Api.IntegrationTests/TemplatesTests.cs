using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using RenderOwl.Api.IntegrationTests.Infrastructure;

namespace RenderOwl.Api.IntegrationTests;

public sealed class TemplatesTests(ApiFixture fixture) : ApiTest(fixture)
{
    private static object Greeting() => new
    {
        name = "Greeting",
        composition = new
        {
            duration = 3.0,
            background = "#101820",
            layers = new object[]
            {
                new { type = "color", color = "{{brand}}", start = 0, duration = 1 },
                new { type = "text", text = "Hello, {{name}}! ({{city}})", start = 0.5, duration = "{{seconds}}" },
            },
        },
        variables = new object[]
        {
            new { name = "name" },
            new { name = "brand", @default = "#1e90ff" },
            new { name = "city", @default = "Leeds" },
            new { name = "seconds", @default = 2 },
        },
    };

    [Fact]
    public async Task Values_are_substituted_literally_and_json_safely()
    {
        var session = await this.RegisterUserAsync(Anonymous);
        var created = await session.Client.PostAsJsonAsync("/v1/templates", Greeting());
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.ReadJsonAsync())["id"]!.GetValue<string>();
        Assert.StartsWith("tpl_", id, StringComparison.Ordinal);

        const string hostile = "Ada \" }} {{city}} \\ \n\",\"type\":\"color";
        var resolved = await session.Client.PostAsJsonAsync($"/v1/templates/{id}/resolve", new { modifications = new Dictionary<string, object> { ["name"] = hostile, ["seconds"] = 1.5 } });
        Assert.Equal(HttpStatusCode.OK, resolved.StatusCode);
        var composition = (await resolved.ReadJsonAsync())["composition"]!;
        var text = composition["layers"]![1]!;
        Assert.Equal($"Hello, {hostile}! (Leeds)", text["text"]!.GetValue<string>());   // inserted text is not scanned again
        Assert.Equal("text", text["type"]!.GetValue<string>());                          // nothing broke out of the string
        Assert.Equal(1.5, text["duration"]!.GetValue<double>());                          // a whole-string placeholder keeps the value's type
        Assert.Equal("#1e90ff", composition["layers"]![0]!["color"]!.GetValue<string>()); // default
        Assert.Equal(2, composition["layers"]!.AsArray().Count);
    }

    [Fact]
    public async Task Missing_and_unknown_variables_are_400s_naming_them()
    {
        var session = await this.RegisterUserAsync(Anonymous);
        var id = (await (await session.Client.PostAsJsonAsync("/v1/templates", Greeting())).ReadJsonAsync())["id"]!.GetValue<string>();
        var missing = await session.Client.PostAsJsonAsync($"/v1/templates/{id}/resolve", new { modifications = new { city = "York" } });
        var problem = await missing.AssertProblemAsync(HttpStatusCode.BadRequest, "validation-failed");
        Assert.Equal("modifications.name", problem["errors"]![0]!["field"]!.GetValue<string>());
        Assert.Equal("required", problem["errors"]![0]!["code"]!.GetValue<string>());

        var unknown = await session.Client.PostAsJsonAsync($"/v1/templates/{id}/resolve", new { modifications = new { name = "Ada", colour = "red" } });
        var unknownProblem = await unknown.AssertProblemAsync(HttpStatusCode.BadRequest, "validation-failed");
        Assert.Equal("modifications.colour", unknownProblem["errors"]![0]!["field"]!.GetValue<string>());
        Assert.Equal("unknown_variable", unknownProblem["errors"]![0]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_resolved_composition_must_be_valid()
    {
        var session = await this.RegisterUserAsync(Anonymous);
        var id = (await (await session.Client.PostAsJsonAsync("/v1/templates", Greeting())).ReadJsonAsync())["id"]!.GetValue<string>();
        var bad = await session.Client.PostAsJsonAsync($"/v1/templates/{id}/resolve", new { modifications = new { name = "Ada", brand = "blue" } });
        var problem = await bad.AssertProblemAsync(HttpStatusCode.BadRequest, "validation-failed");
        Assert.Equal("composition.layers[0].color", problem["errors"]![0]!["field"]!.GetValue<string>());
    }

    [Fact]
    public async Task Placeholders_must_be_declared_and_templates_have_the_usual_crud()
    {
        var session = await this.RegisterUserAsync(Anonymous);
        var undeclared = await session.Client.PostAsJsonAsync("/v1/templates", new
        {
            name = "Oops",
            composition = new { duration = 1, background = "#000000", layers = new object[] { new { type = "text", text = "{{who}}", start = 0 } } },
        });
        var problem = await undeclared.AssertProblemAsync(HttpStatusCode.BadRequest, "validation-failed");
        Assert.Equal("undeclared_placeholder", problem["errors"]![0]!["code"]!.GetValue<string>());

        var id = (await (await session.Client.PostAsJsonAsync("/v1/templates", Greeting())).ReadJsonAsync())["id"]!.GetValue<string>();
        var patched = await session.Client.PatchAsJsonAsync($"/v1/templates/{id}", new { name = "Welcome" });
        Assert.Equal("Welcome", (await patched.ReadJsonAsync())["name"]!.GetValue<string>());
        var got = await (await session.Client.GetAsync($"/v1/templates/{id}")).ReadJsonAsync();
        Assert.Equal(4, got["variables"]!.AsArray().Count);
        Assert.Equal("#101820", got["composition"]!["background"]!.GetValue<string>());
        var list = await (await session.Client.GetAsync("/v1/templates")).ReadJsonAsync();
        Assert.Single(list["items"]!.AsArray());
        Assert.Equal(HttpStatusCode.NoContent, (await session.Client.DeleteAsync($"/v1/templates/{id}")).StatusCode);
        await (await session.Client.GetAsync($"/v1/templates/{id}")).AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
        Assert.IsType<JsonArray>(list["items"]);
    }
}
