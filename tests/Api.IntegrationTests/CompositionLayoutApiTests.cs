using System.Net;
using System.Net.Http.Json;
using RenderOwl.Api.IntegrationTests.Infrastructure;

namespace RenderOwl.Api.IntegrationTests;

/// <summary>Placement, text style and shape fields through the API: accepted, refused on their JSON path, and filled from template placeholders.</summary>
public sealed class CompositionLayoutApiTests(ApiFixture fixture) : ApiTest(fixture)
{
    private static object Layout(object layer) => new
    {
        composition = new { duration = 1, background = "#000000", layers = new[] { layer } },
        output_settings = new { format = "mp4", width = 64, height = 64, fps = 5, quality = "standard" },
    };

    [Fact]
    public async Task A_composition_using_the_layout_fields_is_queued()
    {
        var (session, project) = await this.AccountWithProjectAsync(Anonymous);
        var body = new
        {
            composition = new
            {
                duration = 1, background = "#000000",
                layers = new object[]
                {
                    new { type = "shape", shape = "ellipse", color = "#ffcc00", stroke = new { color = "#ffffff", width = 2 }, start = 0,
                        position = new { x = "50%", y = "50%" }, anchor = "center", size = new { width = "50%", height = 20 }, rotation = 15, opacity = 0.8 },
                    new { type = "text", text = "Fits its box", start = 0, size = new { width = 60, height = 30 },
                        style = new { font_family = "Noto Sans", font_size = "auto", font_weight = 700, align = "center", background = new { color = "#1e90ff", padding = 2, corner_radius = 4 } } },
                },
            },
            output_settings = new { format = "mp4", width = 64, height = 64, fps = 5, quality = "standard" },
        };
        var render = await session.Client.SubmitAsync(project, body);
        Assert.Equal("queued", render["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_aspect_ratio_with_one_side_derives_the_other_and_a_range_is_kept()
    {
        var (session, project) = await this.AccountWithProjectAsync(Anonymous);
        var render = await session.Client.SubmitAsync(project, new
        {
            composition = new { duration = 4, background = "#000000", layers = Array.Empty<object>() },
            output_settings = new { format = "mp4", height = 640, aspect_ratio = "9:16", fps = 5, quality = "standard", range = new { start = 1, duration = 2 } },
        });
        var settings = render["output_settings"]!;
        Assert.Equal((360, 640), (settings["width"]!.GetValue<int>(), settings["height"]!.GetValue<int>()));
        Assert.Equal(2, settings["range"]!["duration"]!.GetValue<double>());
    }

    [Fact]
    public async Task Wrong_layout_fields_are_400_on_their_path()
    {
        var (session, project) = await this.AccountWithProjectAsync(Anonymous);
        async Task<List<string>> FieldsOf(object layer)
        {
            var problem = await (await session.Client.PostAsJsonAsync($"/v1/projects/{project}/renders", Layout(layer)))
                .AssertProblemAsync(HttpStatusCode.BadRequest, "validation-failed");
            return problem["errors"]!.AsArray().Select(e => e!["field"]!.GetValue<string>()).ToList();
        }
        Assert.Contains("composition.layers[0].anchor", await FieldsOf(new { type = "color", color = "#ffffff", start = 0, anchor = "middle" }));
        Assert.Contains("composition.layers[0].style.font_family", await FieldsOf(new { type = "text", text = "x", start = 0, style = new { font_family = "Comic Sans" } }));
        Assert.Contains("composition.layers[0].fit", await FieldsOf(new { type = "image", asset_id = "ast_01m84pk8kbfy78t0y0zqfzkfhc", start = 0, fit = "squash" }));
        Assert.Contains("composition.layers[0].shape", await FieldsOf(new { type = "shape", color = "#ffffff", start = 0 }));
    }

    [Fact]
    public async Task Placeholders_fill_the_new_fields_and_a_bad_value_is_refused_on_its_path()
    {
        var session = await this.RegisterUserAsync(Anonymous);
        var template = new
        {
            name = "Lower third",
            composition = new
            {
                duration = 2, background = "#000000",
                layers = new object[]
                {
                    new { type = "text", text = "{{title}}", start = 0, anchor = "{{anchor}}", size = new { width = "{{width}}", height = 80 },
                        style = new { font_family = "{{font}}", font_size = "{{size}}", align = "{{align}}" } },
                },
            },
            variables = new object[]
            {
                new { name = "title" }, new { name = "anchor", @default = "bottom" }, new { name = "width", @default = "80%" },
                new { name = "font", @default = "DejaVu Serif" }, new { name = "size", @default = "auto" }, new { name = "align", @default = "center" },
            },
        };
        var created = await session.Client.PostAsJsonAsync("/v1/templates", template);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.ReadJsonAsync())["id"]!.GetValue<string>();

        var resolved = await (await session.Client.PostAsJsonAsync($"/v1/templates/{id}/resolve", new { modifications = new { title = "Ada", width = 400, font = "Noto Serif" } })).ReadJsonAsync();
        var layer = resolved["composition"]!["layers"]![0]!;
        Assert.Equal(("bottom", 400, "Noto Serif", "auto", "center"), (layer["anchor"]!.GetValue<string>(), layer["size"]!["width"]!.GetValue<int>(),
            layer["style"]!["font_family"]!.GetValue<string>(), layer["style"]!["font_size"]!.GetValue<string>(), layer["style"]!["align"]!.GetValue<string>()));

        var bad = await session.Client.PostAsJsonAsync($"/v1/templates/{id}/resolve", new { modifications = new { title = "Ada", font = "Papyrus" } });
        var problem = await bad.AssertProblemAsync(HttpStatusCode.BadRequest, "validation-failed");
        Assert.Equal("composition.layers[0].style.font_family", problem["errors"]![0]!["field"]!.GetValue<string>());
    }
}
