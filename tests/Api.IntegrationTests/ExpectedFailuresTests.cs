using System.Net;
using System.Net.Http.Json;
using RenderOwl.Api.IntegrationTests.Infrastructure;

namespace RenderOwl.Api.IntegrationTests;

/// <summary>Expected failures that had no test of their own: conflict, bad-request, not-acceptable.</summary>
public sealed class ExpectedFailuresTests(ApiFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public async Task The_51st_active_api_key_is_409_conflict()
    {
        var session = await this.RegisterUserAsync(Anonymous);
        for (var i = 0; i < 50; i++)
        {
            Assert.Equal(HttpStatusCode.Created, (await session.Client.PostAsJsonAsync("/v1/api-keys", new { name = $"k{i}" })).StatusCode);
        }
        var problem = await (await session.Client.PostAsJsonAsync("/v1/api-keys", new { name = "one too many" })).AssertProblemAsync(HttpStatusCode.Conflict, "conflict");
        Assert.Contains("50", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_header_with_u0000_is_400_bad_request()
    {
        var session = await this.RegisterUserAsync(Anonymous);
        var request = new HttpRequestMessage(HttpMethod.Get, "/v1/projects");
        request.Headers.TryAddWithoutValidation("X-Note", "a\u0000b");
        await (await session.Client.SendAsync(request)).AssertProblemAsync(HttpStatusCode.BadRequest, "bad-request");
    }

    [Theory]
    [InlineData("application/xml")]
    [InlineData("text/html")]
    [InlineData("application/json;q=0, text/plain")]
    public async Task An_Accept_that_rules_out_json_is_406_not_acceptable(string accept)
    {
        var session = await this.RegisterUserAsync(Anonymous);
        var request = new HttpRequestMessage(HttpMethod.Get, "/v1/projects");
        request.Headers.TryAddWithoutValidation("Accept", accept);
        var response = await session.Client.SendAsync(request);
        await response.AssertProblemAsync(HttpStatusCode.NotAcceptable, "not-acceptable");
    }

    [Theory]
    [InlineData("application/json;version=1")]
    [InlineData("text/html,application/xhtml+xml,*/*;q=0.8")]
    [InlineData("application/*")]
    [InlineData("application/problem+json")]
    public async Task An_Accept_that_allows_json_is_served(string accept)
    {
        var session = await this.RegisterUserAsync(Anonymous);
        var request = new HttpRequestMessage(HttpMethod.Get, "/v1/projects");
        request.Headers.TryAddWithoutValidation("Accept", accept);
        Assert.Equal(HttpStatusCode.OK, (await session.Client.SendAsync(request)).StatusCode);
    }
}
