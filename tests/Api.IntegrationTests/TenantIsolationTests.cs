using System.Net;
using System.Text.RegularExpressions;
using RenderOwl.Api.IntegrationTests.Infrastructure;

namespace RenderOwl.Api.IntegrationTests;

/// <summary>
/// Walks every route of the OpenAPI document that takes an id and calls it as account B with account A's ids:
/// always 404 (never 403, never a leak). Admin routes answer 403 to a user and 401 to the anonymous. A route
/// added later is covered automatically; one whose path parameter has no fixture here fails until one is added.
/// </summary>
public sealed partial class TenantIsolationTests(ApiFixture fixture) : ApiTest(fixture)
{
    /// <summary>Bodies that pass validation, so ownership is what decides. Default: <c>{}</c>.</summary>
    private static readonly Dictionary<string, object> SampleBodies = new()
    {
        ["PATCH /v1/projects/{project_id}"] = new { name = "Taken over" },
        ["PATCH /internal/accounts/{account_id}"] = new { tier = "enterprise" },
        ["POST /v1/projects/{project_id}/assets"] = new { url = "https://example.com/logo.png" },
        ["PATCH /v1/templates/{template_id}"] = new { name = "Taken over" },
        ["POST /v1/templates/{template_id}/resolve"] = new { modifications = new { } },
        ["POST /v1/projects/{project_id}/renders"] = Renders.Small(),
        ["POST /v1/projects/{project_id}/renders/batch"] = new { renders = new[] { Renders.Small() } },
        ["POST /v1/projects/{project_id}/webhooks"] = new { url = "https://93.184.216.34/hook" },
        ["PATCH /v1/webhooks/{webhook_id}"] = new { enabled = false },
    };

    [GeneratedRegex(@"\{([a-z_]+)\}")]
    private static partial Regex PathParameter();

    [Fact]
    public async Task Every_route_with_an_id_answers_404_to_another_account()
    {
        var a = await this.RegisterUserAsync(Anonymous);
        var ids = await AccountResources.OneOfEachAsync(a.Client);
        ids["account_id"] = a.UserId;
        ids["check"] = "database";
        var b = await this.RegisterUserAsync(Anonymous);
        var anonymous = Anonymous();

        var document = await (await Anonymous().GetAsync("/openapi/v1.json")).ReadJsonAsync();
        var checkedRoutes = 0;
        foreach (var (path, operations) in document["paths"]!.AsObject())
        {
            var parameters = PathParameter().Matches(path).Select(m => m.Groups[1].Value).ToList();
            var isAdminRoute = path.StartsWith("/internal", StringComparison.Ordinal) || path == "/health" || path.StartsWith("/health/", StringComparison.Ordinal);
            if ((parameters.Count == 0 && !isAdminRoute) || path.StartsWith("/v1/shared/", StringComparison.Ordinal))
            {
                continue; // a share link is public by design: the signed token is the credential (ShareLinkTests)
            }
            var missing = parameters.Where(p => !ids.ContainsKey(p)).ToList();
            Assert.True(missing.Count == 0, $"{path}: no fixture for {string.Join(", ", missing)} — add one of A's resources to this test.");
            var url = PathParameter().Replace(path, m => ids[m.Groups[1].Value]);
            foreach (var (method, _) in operations!.AsObject())
            {
                var verb = new HttpMethod(method.ToUpperInvariant());
                var body = verb == HttpMethod.Get || verb == HttpMethod.Delete ? null : SampleBodies.GetValueOrDefault($"{verb} {path}", new { });
                var asB = await b.Client.SendAsync(TestHttp.Request(verb, url, body));
                if (isAdminRoute)
                {
                    await asB.AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
                }
                else
                {
                    await asB.AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
                }
                var asAnonymous = await anonymous.SendAsync(TestHttp.Request(verb, url, body));
                await asAnonymous.AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
                checkedRoutes++;
            }
        }
        Assert.True(checkedRoutes >= 7, $"only {checkedRoutes} operations were walked; is the OpenAPI document complete?");

        // Nothing B did touched A's resources.
        Assert.Equal("A's project", (await (await a.Client.GetAsync($"/v1/projects/{ids["project_id"]}")).ReadJsonAsync())["name"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await a.Client.GetAsync($"/v1/api-keys/{ids["key_id"]}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await a.Client.GetAsync($"/v1/assets/{ids["asset_id"]}/content")).StatusCode);
        Assert.Equal("queued", (await (await a.Client.GetAsync($"/v1/renders/{ids["render_id"]}")).ReadJsonAsync()).Status());
        Assert.Equal("A's template", (await (await a.Client.GetAsync($"/v1/templates/{ids["template_id"]}")).ReadJsonAsync())["name"]!.GetValue<string>());
        Assert.Equal("free", (await (await a.Client.GetAsync("/v1/me")).ReadJsonAsync())["tier"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_hangfire_dashboard_takes_no_api_credentials()
    {
        // The dashboard is signed into with its own cookie (DashboardSignInTests); a bearer token, even an admin's, is not
        // a dashboard session: the browser is sent to the sign-in page, never shown a 500.
        var user = await this.RegisterUserAsync(() => Fixture.Factory.CreateClient(new() { AllowAutoRedirect = false }));
        var admin = await this.RegisterAdminAsync(Fixture, () => Fixture.Factory.CreateClient(new() { AllowAutoRedirect = false }));
        foreach (var client in new[] { user.Client, admin, Fixture.Factory.CreateClient(new() { AllowAutoRedirect = false }) })
        {
            client.DefaultRequestHeaders.Accept.ParseAdd("text/html,application/xhtml+xml");
            var response = await client.GetAsync("/hangfire");
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith("/hangfire/login", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
        }
}
}
