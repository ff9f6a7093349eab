using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using RenderOwl.Api.IntegrationTests.Infrastructure;

namespace RenderOwl.Api.IntegrationTests;

public sealed class ConventionsTests(ApiFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public async Task If_None_Match_gives_304_and_a_changed_resource_gives_200()
    {
        var session = await this.RegisterUserAsync(Anonymous);
        var id = (await session.Client.CreateProjectAsync("Tagged"))["id"]!.GetValue<string>();
        var first = await session.Client.GetAsync($"/v1/projects/{id}");
        var etag = first.Headers.ETag!;
        Assert.False(etag.IsWeak);
        Assert.True(first.Headers.CacheControl!.Private);
        Assert.True(first.Headers.CacheControl.NoCache);

        var cached = await session.Client.SendAsync(TestHttp.Request(HttpMethod.Get, $"/v1/projects/{id}", null, ("If-None-Match", etag.Tag)));
        Assert.Equal(HttpStatusCode.NotModified, cached.StatusCode);
        Assert.Empty(await cached.Content.ReadAsByteArrayAsync());
        Assert.Equal(etag.Tag, cached.Headers.ETag!.Tag);

        var patch = await session.Client.SendAsync(TestHttp.Request(HttpMethod.Patch, $"/v1/projects/{id}", new { name = "Renamed" }, ("If-Match", etag.Tag)));
        Assert.Equal(HttpStatusCode.OK, patch.StatusCode);

        var stale = await session.Client.SendAsync(TestHttp.Request(HttpMethod.Get, $"/v1/projects/{id}", null, ("If-None-Match", etag.Tag)));
        Assert.Equal(HttpStatusCode.OK, stale.StatusCode);
        Assert.NotEqual(etag.Tag, stale.Headers.ETag!.Tag);
        Assert.Equal(patch.Headers.ETag!.Tag, stale.Headers.ETag!.Tag);

        var staleWrite = await session.Client.SendAsync(TestHttp.Request(HttpMethod.Patch, $"/v1/projects/{id}", new { name = "Lost update" }, ("If-Match", etag.Tag)));
        await staleWrite.AssertProblemAsync(HttpStatusCode.PreconditionFailed, "precondition-failed");
        var staleDelete = await session.Client.SendAsync(TestHttp.Request(HttpMethod.Delete, $"/v1/projects/{id}", null, ("If-Match", etag.Tag)));
        await staleDelete.AssertProblemAsync(HttpStatusCode.PreconditionFailed, "precondition-failed");
        var name = (await (await session.Client.GetAsync($"/v1/projects/{id}")).ReadJsonAsync())["name"]!.GetValue<string>();
        Assert.Equal("Renamed", name);

        var list = await session.Client.GetAsync("/v1/projects");
        var listCached = await session.Client.SendAsync(TestHttp.Request(HttpMethod.Get, "/v1/projects", null, ("If-None-Match", list.Headers.ETag!.Tag)));
        Assert.Equal(HttpStatusCode.NotModified, listCached.StatusCode);
    }

    [Theory]
    [InlineData("/v1/projects", null, null)]
    [InlineData("/projects", "API-Version", "1")]
    [InlineData("/projects?api-version=1", null, null)]
    [InlineData("/projects", "Accept", "application/json;version=1")]
    [InlineData("/projects", null, null)]
    public async Task Every_way_of_asking_for_v1_answers(string url, string? header, string? value)
    {
        var session = await this.RegisterUserAsync(Anonymous);
        await session.Client.CreateProjectAsync("Versioned");
        var request = TestHttp.Request(HttpMethod.Get, url, null, header is null ? [] : [(header, value!)]);
        var response = await session.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("1", response.Headers.GetValues("API-Version").Single());
        Assert.Single((await response.ReadJsonAsync())["items"]!.AsArray());
    }

    [Theory]
    [InlineData("/projects", "API-Version", "9")]
    [InlineData("/projects?api-version=2", null, null)]
    [InlineData("/projects", "Accept", "application/json;version=abc")]
    [InlineData("/v9/projects", null, null)]
    public async Task Unknown_versions_are_400(string url, string? header, string? value)
    {
        var session = await this.RegisterUserAsync(Anonymous);
        var response = await session.Client.SendAsync(TestHttp.Request(HttpMethod.Get, url, null, header is null ? [] : [(header, value!)]));
        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "unsupported-api-version");
    }

    [Fact]
    public async Task A_deprecated_version_carries_Deprecation_Sunset_and_Link()
    {
        await using var factory = Fixture.CreateFactory(new Dictionary<string, string?>
        {
            ["ApiVersioning:Deprecated:1:DeprecatedAt"] = "2026-10-01T00:00:00Z",
            ["ApiVersioning:Deprecated:1:Sunset"] = "2027-06-30T00:00:00Z",
            ["ApiVersioning:Deprecated:1:Link"] = "https://docs.renderowl.com/migrations/v2",
        });
        var response = await factory.CreateClient().GetAsync("/v1/meta/errors");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("@1790812800", response.Headers.GetValues("Deprecation").Single());
        Assert.Equal("Wed, 30 Jun 2027 00:00:00 GMT", response.Headers.GetValues("Sunset").Single());
        Assert.Equal("<https://docs.renderowl.com/migrations/v2>; rel=\"deprecation\"; type=\"text/html\"", response.Headers.GetValues("Link").Single());

        var normal = await Anonymous().GetAsync("/v1/meta/errors");
        Assert.False(normal.Headers.Contains("Deprecation"));
    }

    [Fact]
    public async Task Body_over_10_MiB_is_413()
    {
        var session = await this.RegisterUserAsync(Anonymous);
        var big = new ByteArrayContent(new byte[11 * 1024 * 1024]);
        big.Headers.ContentType = new("application/json");
        await (await session.Client.PostAsync("/v1/projects", big)).AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge, "payload-too-large");

        // Without Content-Length the limit holds while reading.
        var chunked = new StreamContent(new MemoryStream(System.Text.Encoding.UTF8.GetBytes("{\"name\": \"" + new string('x', 11 * 1024 * 1024) + "\"}")));
        chunked.Headers.ContentType = new("application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/projects") { Content = chunked };
        request.Headers.TransferEncodingChunked = true;
        await (await session.Client.SendAsync(request)).AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge, "payload-too-large");
    }

    [Fact]
    public async Task A_url_over_2048_characters_is_414()
    {
        var session = await this.RegisterUserAsync(Anonymous);
        var url = "/v1/projects?x=" + new string('a', 3000);
        await (await session.Client.GetAsync(url)).AssertProblemAsync(HttpStatusCode.RequestUriTooLong, "uri-too-long");
    }

    [Fact]
    public async Task Headers_over_8_KiB_are_431()
    {
        var session = await this.RegisterUserAsync(Anonymous);
        var request = TestHttp.Request(HttpMethod.Get, "/v1/projects", null, ("X-Padding", new string('h', 9 * 1024)));
        await (await session.Client.SendAsync(request)).AssertProblemAsync(HttpStatusCode.RequestHeaderFieldsTooLarge, "request-header-fields-too-large");
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("br")]
    public async Task Responses_over_1_KiB_are_compressed_when_asked(string encoding)
    {
        var session = await this.RegisterUserAsync(Anonymous);
        for (var i = 0; i < 12; i++)
        {
            await session.Client.CreateProjectAsync($"A project with a reasonably long name {i}", "and a description to make the body larger than a kibibyte");
        }
        var plain = await session.Client.GetAsync("/v1/projects");
        var plainBytes = await plain.Content.ReadAsByteArrayAsync();
        Assert.True(plainBytes.Length > 1024);
        Assert.Empty(plain.Content.Headers.ContentEncoding);

        var request = TestHttp.Request(HttpMethod.Get, "/v1/projects", null, ("Accept-Encoding", encoding));
        var response = await session.Client.SendAsync(request);
        Assert.Equal(encoding, response.Content.Headers.ContentEncoding.Single());
        var compressed = await response.Content.ReadAsByteArrayAsync();
        Assert.True(compressed.Length < plainBytes.Length);
        await using Stream unzip = encoding == "gzip"
            ? new GZipStream(new MemoryStream(compressed), CompressionMode.Decompress)
            : new BrotliStream(new MemoryStream(compressed), CompressionMode.Decompress);
        using var copy = new MemoryStream();
        await unzip.CopyToAsync(copy);
        Assert.Equal(plainBytes, copy.ToArray());

        // Small bodies are sent as they are.
        var small = await session.Client.SendAsync(TestHttp.Request(HttpMethod.Get, "/v1/me", null, ("Accept-Encoding", encoding)));
        Assert.Empty(small.Content.Headers.ContentEncoding);
    }

    [Fact]
    public async Task A_body_larger_than_one_pooled_buffer_block_is_whole_with_the_ETag_of_its_bytes()
    {
        // The finalizer buffers responses in pooled 16 KiB blocks: a body over several blocks must come out whole,
        // hashed over all of them, and compressed from all of them.
        var session = await this.RegisterUserAsync(Anonymous);
        var description = new string('d', 900);
        await Task.WhenAll(Enumerable.Range(0, 60).Select(i => session.Client.CreateProjectAsync($"block spanning {i}", description)));

        var plain = await session.Client.GetAsync("/v1/projects?page_size=100");
        var bytes = await plain.Content.ReadAsByteArrayAsync();
        Assert.True(bytes.Length > 3 * 16 * 1024, $"{bytes.Length} bytes");
        Assert.Equal(bytes.Length, plain.Content.Headers.ContentLength);
        Assert.Equal(60, System.Text.Json.Nodes.JsonNode.Parse(bytes)!["items"]!.AsArray().Count);
        var expected = "\"" + Convert.ToBase64String(System.IO.Hashing.XxHash128.Hash(bytes)).TrimEnd('=').Replace('+', '-').Replace('/', '_') + "\"";
        Assert.Equal(expected, plain.Headers.ETag!.Tag);
        var again = await session.Client.SendAsync(TestHttp.Request(HttpMethod.Get, "/v1/projects?page_size=100", null, ("If-None-Match", expected)));
        Assert.Equal(HttpStatusCode.NotModified, again.StatusCode);

        var zipped = await session.Client.SendAsync(TestHttp.Request(HttpMethod.Get, "/v1/projects?page_size=100", null, ("Accept-Encoding", "gzip")));
        Assert.Equal("gzip", zipped.Content.Headers.ContentEncoding.Single());
        await using var unzip = new GZipStream(new MemoryStream(await zipped.Content.ReadAsByteArrayAsync()), CompressionMode.Decompress);
        using var copy = new MemoryStream();
        await unzip.CopyToAsync(copy);
        Assert.Equal(bytes, copy.ToArray());
    }

    [Fact]
    public async Task Security_and_tracing_headers_are_on_every_response_problems_included()
    {
        var session = await this.RegisterUserAsync(Anonymous);
        var ok = await Anonymous().GetAsync("/live");
        var problem = await Anonymous().GetAsync("/v1/projects/proj_nope");
        var notFound = await session.Client.GetAsync("/v1/no-such-route");
        foreach (var response in new[] { ok, problem, notFound })
        {
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
            Assert.Equal("strict-origin-when-cross-origin", response.Headers.GetValues("Referrer-Policy").Single());
            Assert.Equal("default-src 'none'; frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single());
            Assert.StartsWith("max-age=", response.Headers.GetValues("Strict-Transport-Security").Single(), StringComparison.Ordinal);
            Assert.True(response.Headers.Contains("Cross-Origin-Opener-Policy"));
            Assert.True(response.Headers.Contains("Cross-Origin-Resource-Policy"));
            Assert.True(response.Headers.Contains("X-Request-Id"));
            Assert.True(response.Headers.Contains("X-Trace-Id"));
            Assert.Equal("1", response.Headers.GetValues("API-Version").Single());
        }
        var body = await notFound.AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
        Assert.Equal(notFound.Headers.GetValues("X-Trace-Id").Single(), body["trace_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_request_without_an_id_gets_a_new_uuid_v7_one()
    {
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((await Anonymous().GetAsync("/live")).Headers.GetValues("X-Request-Id").Single());
        }
        var after = DateTimeOffset.UtcNow.AddSeconds(1);
        Assert.Equal(3, ids.Distinct().Count());
        foreach (var id in ids)
        {
            Assert.Matches("^[0-9a-f]{32}$", id);
            var guid = Guid.ParseExact(id, "N");
            Assert.Equal(7, guid.Version);
            Assert.Contains(id[16], "89ab"); // RFC 9562 variant
            var ms = Convert.ToInt64(id[..12], 16);
            Assert.InRange(DateTimeOffset.FromUnixTimeMilliseconds(ms), before, after);
        }
    }

    [Fact]
    public void New_request_ids_are_uuid_v7_with_the_given_time_and_do_not_repeat()
    {
        var now = DateTimeOffset.FromUnixTimeMilliseconds(1_796_000_000_123);
        var ids = Enumerable.Range(0, 20_000).Select(_ => RenderOwl.Api.Http.RequestContext.NewRequestId(now)).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.All(ids, id =>
        {
            Assert.Equal(7, Guid.ParseExact(id, "N").Version);
            Assert.Equal(1_796_000_000_123, Convert.ToInt64(id[..12], 16));
            Assert.Contains(id[16], "89ab");
        });
        // Same layout as the framework's own UUIDv7 (time first, then version, then variant)
        var framework = Guid.CreateVersion7(now).ToString("N");
        Assert.Equal(framework[..13], ids[0][..13]);
    }

    [Fact]
    public async Task Incoming_traceparent_and_request_id_are_honoured()
    {
        const string traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        var request = TestHttp.Request(HttpMethod.Get, "/live", null, ("traceparent", $"00-{traceId}-00f067aa0ba902b7-01"), ("X-Request-Id", "client-req-42"));
        var response = await Anonymous().SendAsync(request);
        Assert.Equal(traceId, response.Headers.GetValues("X-Trace-Id").Single());
        Assert.Equal("client-req-42", response.Headers.GetValues("X-Request-Id").Single());
    }

    [Fact]
    public async Task Cors_answers_configured_origins_only()
    {
        await using var factory = Fixture.CreateFactory(new Dictionary<string, string?> { ["Cors:AllowedOrigins:0"] = "https://app.renderowl.com" });
        var client = factory.CreateClient();
        var allowed = TestHttp.Request(HttpMethod.Options, "/v1/projects", null, ("Origin", "https://app.renderowl.com"), ("Access-Control-Request-Method", "POST"));
        var allowedResponse = await client.SendAsync(allowed);
        Assert.Equal("https://app.renderowl.com", allowedResponse.Headers.GetValues("Access-Control-Allow-Origin").Single());
        var other = TestHttp.Request(HttpMethod.Options, "/v1/projects", null, ("Origin", "https://evil.example"), ("Access-Control-Request-Method", "POST"));
        Assert.False((await client.SendAsync(other)).Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Method_not_allowed_is_a_405_problem()
    {
        var session = await this.RegisterUserAsync(Anonymous);
        var response = await session.Client.PutAsJsonAsync("/v1/projects", new { name = "x" });
        await response.AssertProblemAsync(HttpStatusCode.MethodNotAllowed, "method-not-allowed");
    }
}
