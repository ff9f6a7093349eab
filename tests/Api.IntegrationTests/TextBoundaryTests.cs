using System.Net;
using System.Net.Http.Headers;
using System.Text;
using RenderOwl.Api.IntegrationTests.Infrastructure;

namespace RenderOwl.Api.IntegrationTests;

/// <summary>U+0000, lone surrogates, repeated properties and foreign charsets are refused at the boundary (docs/security.md).</summary>
public sealed class TextBoundaryTests(ApiFixture fixture) : ApiTest(fixture)
{
    private const string Render = """
        {"composition":{"duration":1,"background":"#000000","layers":[{"type":"text","text":"TEXT","start":0}]},
         "output_settings":{"format":"mp4","width":64,"height":64,"fps":5,"quality":"standard"}TAIL}
        """;

    private async Task<int> ProjectCountAsync(Session session)
        => (await (await session.Client.GetAsync("/v1/projects")).ReadJsonAsync())["items"]!.AsArray().Count;

    private static async Task<string> AssertFieldAsync(HttpResponseMessage response, string field, string code)
    {
        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation-failed");
        var error = problem["errors"]![0]!;
        Assert.Equal((field, code), (error["field"]!.GetValue<string>(), error["code"]!.GetValue<string>()));
        return problem["detail"]!.GetValue<string>();
    }

    [Theory]
    [InlineData("""{"name":"a\u0000b"}""", "name")]
    [InlineData("""{"name":"a\ud800b"}""", "name")]
    [InlineData("""{"name":"ok","description":"\udc00"}""", "description")]
    public async Task A_project_name_with_u0000_or_a_lone_surrogate_is_400_naming_the_field_and_nothing_is_stored(string body, string field)
    {
        var session = await this.RegisterUserAsync(Anonymous);
        await AssertFieldAsync(await session.Client.PostAsync("/v1/projects", TestHttp.Json(body)), field, "invalid_character");
        Assert.Equal(0, await ProjectCountAsync(session));
    }

    [Fact]
    public async Task Every_string_of_a_render_is_checked_text_metadata_keys_and_values_and_tags()
    {
        var session = await this.RegisterUserAsync(Anonymous);
        var project = (await session.Client.CreateProjectAsync("p"))["id"]!.GetValue<string>();
        var cases = new (string Body, string Field)[]
        {
            (Render.Replace("TEXT", "a\\u0000b", StringComparison.Ordinal).Replace("TAIL", "", StringComparison.Ordinal), "composition.layers[0].text"),
            (Render.Replace("TEXT", "x", StringComparison.Ordinal).Replace("TAIL", ",\"metadata\":{\"k\\u0000\":\"v\"}", StringComparison.Ordinal), "metadata"),
            (Render.Replace("TEXT", "x", StringComparison.Ordinal).Replace("TAIL", ",\"metadata\":{\"k\":\"v\\u0000\"}", StringComparison.Ordinal), "metadata.k"),
            (Render.Replace("TEXT", "x", StringComparison.Ordinal).Replace("TAIL", ",\"tags\":[\"ok\",\"b\\u0000\"]", StringComparison.Ordinal), "tags[1]"),
        };
        foreach (var (body, field) in cases)
        {
            await AssertFieldAsync(await session.Client.PostAsync($"/v1/projects/{project}/renders", TestHttp.Json(body)), field, "invalid_character");
        }
        var batch = "{\"renders\":[" + Render.Replace("TEXT", "x", StringComparison.Ordinal).Replace("TAIL", "", StringComparison.Ordinal) + ","
            + Render.Replace("TEXT", "\\u0000", StringComparison.Ordinal).Replace("TAIL", "", StringComparison.Ordinal) + "]}";
        await AssertFieldAsync(await session.Client.PostAsync($"/v1/projects/{project}/renders/batch", TestHttp.Json(batch)), "renders[1].composition.layers[0].text", "invalid_character");
        Assert.Empty((await (await session.Client.GetAsync($"/v1/projects/{project}/renders")).ReadJsonAsync())["items"]!.AsArray());
    }

    [Fact]
    public async Task A_template_with_u0000_in_its_composition_is_400()
    {
        var session = await this.RegisterUserAsync(Anonymous);
        var body = """{"name":"t","composition":{"duration":1,"layers":[{"type":"text","text":"{{title}}\u0000","start":0}]}}""";
        await AssertFieldAsync(await session.Client.PostAsync("/v1/templates", TestHttp.Json(body)), "composition.layers[0].text", "invalid_character");
    }

    [Fact]
    public async Task A_property_given_twice_is_400_and_nothing_is_stored()
    {
        var session = await this.RegisterUserAsync(Anonymous);
        var detail = await AssertFieldAsync(await session.Client.PostAsync("/v1/projects", TestHttp.Json("""{"name":"x","name":"y"}""")), "name", "duplicate_property");
        Assert.Contains("twice", detail, StringComparison.Ordinal);
        Assert.Equal(0, await ProjectCountAsync(session));
    }

    [Fact]
    public async Task A_surrogate_pair_and_other_unicode_are_stored_exactly()
    {
        var session = await this.RegisterUserAsync(Anonymous);
        var created = await (await session.Client.PostAsync("/v1/projects", TestHttp.Json("""{"name":"\ud83c\udfac Ünïcödé \u2028 ok"}"""))).ReadJsonAsync();
        Assert.Equal("\U0001F3AC Ünïcödé \u2028 ok", created["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_body_in_another_charset_is_415_and_bytes_that_are_not_utf8_are_malformed_json()
    {
        var session = await this.RegisterUserAsync(Anonymous);
        var utf16 = new ByteArrayContent([0x00, 0xD8, 0x41]); // an odd byte count: not even valid UTF-16
        utf16.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json; charset=utf-16");
        await (await session.Client.PostAsync("/v1/projects", utf16)).AssertProblemAsync(HttpStatusCode.UnsupportedMediaType, "unsupported-media-type");

        var latin1 = new ByteArrayContent([.. "{\"name\":\""u8, 0xE9, 0xFF, .. "\"}"u8]);
        latin1.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json");
        await (await session.Client.PostAsync("/v1/projects", latin1)).AssertProblemAsync(HttpStatusCode.BadRequest, "malformed-json");

        var explicitUtf8 = new StringContent("""{"name":"fine"}""", Encoding.UTF8);
        explicitUtf8.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json; charset=UTF-8");
        Assert.Equal(HttpStatusCode.Created, (await session.Client.PostAsync("/v1/projects", explicitUtf8)).StatusCode);
    }

    [Fact]
    public async Task A_multipart_file_name_with_u0000_is_400()
    {
        var session = await this.RegisterUserAsync(Anonymous);
        var project = (await session.Client.CreateProjectAsync("p"))["id"]!.GetValue<string>();
        byte[] body =
        [
            .. "--b1\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.png\"; filename*=UTF-8''a%00b.png\r\nContent-Type: image/png\r\n\r\n"u8,
            .. TestMedia.Png, .. "\r\n--b1--\r\n"u8,
        ];
        var form = new ByteArrayContent(body);
        form.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data; boundary=b1");
        await AssertFieldAsync(await session.Client.PostAsync($"/v1/projects/{project}/assets", form), "file", "invalid_character");
    }

    [Fact]
    public async Task A_query_parameter_with_u0000_is_400()
    {
        var session = await this.RegisterUserAsync(Anonymous);
        var project = (await session.Client.CreateProjectAsync("p"))["id"]!.GetValue<string>();
        await AssertFieldAsync(await session.Client.GetAsync($"/v1/projects/{project}/renders?tag=a%00b"), "tag", "invalid_character");
    }

    [Fact]
    public async Task A_header_with_u0000_is_400_and_no_idempotency_record_is_made()
    {
        var session = await this.RegisterUserAsync(Anonymous);
        var request = TestHttp.Request(HttpMethod.Post, "/v1/projects", new { name = "p" }, ("Idempotency-Key", "key\u0000one"));
        await (await session.Client.SendAsync(request)).AssertProblemAsync(HttpStatusCode.BadRequest, "bad-request");
        Assert.Equal(0, await ProjectCountAsync(session));
    }
}
