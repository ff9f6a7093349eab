using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using RenderOwl.Api.IntegrationTests.Infrastructure;

namespace RenderOwl.Api.IntegrationTests;

/// <summary>Probes of the 2026-12 security review that held, kept as regression tests (docs/security.md).</summary>
public sealed class HeldProbesTests(ApiFixture fixture) : ApiTest(fixture)
{
    private static string B64(string json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string Claims(Session session)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        return B64($$"""{"sub":"{{session.UserId}}","sid":"{{Guid.NewGuid():N}}","role":"admin","tier":"enterprise","iss":"renderowl","aud":"renderowl-api","iat":{{now}},"nbf":{{now}},"exp":{{now + 600}}}""");
    }

    private static string Hs256(string header, string payload, byte[] key)
        => $"{header}.{payload}." + Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.ASCII.GetBytes($"{header}.{payload}"))).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    [Fact]
    public async Task Forged_tokens_are_refused_alg_none_an_empty_key_a_guessed_key_and_a_tampered_payload()
    {
        var session = await this.RegisterUserAsync(Anonymous);
        var payload = Claims(session);
        var forged = new[]
        {
            $"{B64("""{"alg":"none","typ":"JWT"}""")}.{payload}.",
            $"{B64("""{"alg":"none","typ":"JWT"}""")}.{payload}",
            Hs256(B64("""{"alg":"HS256","typ":"JWT"}"""), payload, []),
            Hs256(B64("""{"alg":"HS256","typ":"JWT"}"""), payload, new byte[32]),
            session.AccessToken.Split('.') is [var h, _, var sig] ? $"{h}.{payload}.{sig}" : "",
        };
        foreach (var token in forged)
        {
            var client = Anonymous();
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            await (await client.GetAsync("/v1/me")).AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
            await (await client.GetAsync("/internal/queues")).AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
        }
    }

    [Theory]
    [InlineData("/v1/assets/..%2F..%2Fetc%2Fpasswd/content")]
    [InlineData("/v1/assets/ast_..%2F..%2F..%2Fetc%2Fpasswd/content")]
    [InlineData("/v1/assets/%2e%2e/content")]
    public async Task Traversal_ids_are_invalid_ids_never_files(string path)
    {
        var session = await this.RegisterUserAsync(Anonymous);
        var response = await session.Client.GetAsync(path);
        Assert.True((int)response.StatusCode is 400 or 404, $"{path}: {(int)response.StatusCode}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("root:", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Range_abuse_gets_a_bounded_answer_never_a_500()
    {
        var session = await this.RegisterUserAsync(Anonymous);
        var project = (await session.Client.CreateProjectAsync("ranges"))["id"]!.GetValue<string>();
        var id = (await (await session.Client.PostAsync($"/v1/projects/{project}/assets", TestMedia.Multipart(TestMedia.Png, "a.png", "image/png"))).ReadJsonAsync())["id"]!.GetValue<string>();
        var size = TestMedia.Png.Length;

        async Task<HttpResponseMessage> Get(string range)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/assets/{id}/content");
            request.Headers.TryAddWithoutValidation("Range", range);
            return await session.Client.SendAsync(request);
        }

        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, (await Get($"bytes={size + 1000}-")).StatusCode);
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, (await Get("bytes=-0")).StatusCode);
        // A thousand overlapping ranges: answered once, not amplified.
        var many = await Get("bytes=" + string.Join(',', Enumerable.Repeat("0-", 1000)));
        Assert.True((int)many.StatusCode is 200 or 206 or 416, $"got {(int)many.StatusCode}");
        Assert.True((await many.Content.ReadAsByteArrayAsync()).Length <= size);
        var garbage = await Get("bytes=abc-def");
        Assert.Equal(HttpStatusCode.OK, garbage.StatusCode); // an unparsable Range is ignored, as RFC 9110 says
        Assert.Equal(size, (await garbage.Content.ReadAsByteArrayAsync()).Length);
    }
}
