using System.Net;
using System.Net.Http.Json;
using RenderOwl.Api.IntegrationTests.Infrastructure;

namespace RenderOwl.Api.IntegrationTests;

public sealed class AuthTests(ApiFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public async Task Register_login_refresh_reuse_revokes_family_then_logout()
    {
        var session = await this.RegisterUserAsync(Anonymous);
        var me = await (await session.Client.GetAsync("/v1/me")).ReadJsonAsync();
        Assert.Equal("free", me["tier"]!.GetValue<string>());
        Assert.Equal("user", me["role"]!.GetValue<string>());
        Assert.StartsWith("usr_", me["id"]!.GetValue<string>());

        var http = Anonymous();
        var login = await http.PostAsJsonAsync("/v1/auth/login", new { email = session.Email.ToUpperInvariant(), password = session.Password });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var first = (await login.ReadJsonAsync())["refresh_token"]!.GetValue<string>();

        var refreshed = await http.PostAsJsonAsync("/v1/auth/refresh", new { refresh_token = first });
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        var second = (await refreshed.ReadJsonAsync())["refresh_token"]!.GetValue<string>();
        Assert.NotEqual(first, second);

        // The rotated token comes back: someone copied it. The whole family is revoked…
        var reuse = await http.PostAsJsonAsync("/v1/auth/refresh", new { refresh_token = first });
        await reuse.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid-refresh-token");
        // …so the legitimate newest token no longer works either.
        var afterReuse = await http.PostAsJsonAsync("/v1/auth/refresh", new { refresh_token = second });
        await afterReuse.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid-refresh-token");

        // A fresh session, logged out, cannot be refreshed.
        var login2 = await (await http.PostAsJsonAsync("/v1/auth/login", new { email = session.Email, password = session.Password })).ReadJsonAsync();
        var third = login2["refresh_token"]!.GetValue<string>();
        var logout = await http.PostAsJsonAsync("/v1/auth/logout", new { refresh_token = third });
        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        var afterLogout = await http.PostAsJsonAsync("/v1/auth/refresh", new { refresh_token = third });
        await afterLogout.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid-refresh-token");
    }

    [Fact]
    public async Task Wrong_password_and_unknown_email_are_the_same_401()
    {
        var session = await this.RegisterUserAsync(Anonymous);
        var wrong = await Anonymous().PostAsJsonAsync("/v1/auth/login", new { email = session.Email, password = "not the password" });
        await wrong.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid-credentials");
        var unknown = await Anonymous().PostAsJsonAsync("/v1/auth/login", new { email = "nobody@example.com", password = "whatever123" });
        await unknown.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid-credentials");
    }

    [Fact]
    public async Task Registering_an_email_twice_is_409()
    {
        var session = await this.RegisterUserAsync(Anonymous);
        var again = await Anonymous().PostAsJsonAsync("/v1/auth/register", new { email = session.Email, password = "another long password", name = "X" });
        await again.AssertProblemAsync(HttpStatusCode.Conflict, "email-taken");
    }

    [Fact]
    public async Task Missing_or_bad_token_is_401_with_WWW_Authenticate()
    {
        var anonymous = await Anonymous().GetAsync("/v1/me");
        await anonymous.AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
        Assert.Contains("Bearer", anonymous.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);

        var forged = Anonymous();
        forged.DefaultRequestHeaders.Authorization = new("Bearer", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl");
        var response = await forged.GetAsync("/v1/me");
        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
        Assert.Contains("invalid_token", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Weak_registration_is_a_validation_problem_with_fields()
    {
        var response = await Anonymous().PostAsJsonAsync("/v1/auth/register", new { email = "not-an-email", password = "short", name = "" });
        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation-failed");
        var fields = problem["errors"]!.AsArray().Select(e => e!["field"]!.GetValue<string>()).ToHashSet();
        Assert.Equal(["email", "name", "password"], fields.Order());
    }

    [Fact]
    public async Task Admin_only_routes_refuse_users_and_anonymous()
    {
        var user = await this.RegisterUserAsync(Anonymous);
        await (await user.Client.GetAsync("/internal/queues")).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await Anonymous().GetAsync("/internal/queues")).AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
    }
}
