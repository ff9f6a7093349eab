using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using RenderOwl.Api.IntegrationTests.Infrastructure;
using RenderOwl.Infrastructure.Networking;

namespace RenderOwl.Api.IntegrationTests;

/// <summary>Asset import from URLs: every address that is not public is refused, also behind names and redirects.</summary>
public sealed class SsrfTests(ApiFixture fixture) : ApiTest(fixture)
{
    /// <summary>Names resolve from this table: no DNS, no internet.</summary>
    private sealed class FakeResolver : IHostResolver
    {
        public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) => Task.FromResult(host switch
        {
            "internal.example" => new[] { IPAddress.Parse("10.1.2.3") },
            "metadata.example" => [IPAddress.Parse("169.254.169.254")],
            "rebind.example" => [IPAddress.Parse("93.184.216.34"), IPAddress.Parse("127.0.0.1")],
            "v6local.example" => [IPAddress.Parse("fd00::1")],
            "mapped.example" => [IPAddress.Parse("::ffff:127.0.0.1")],
            "cgnat.example" => [IPAddress.Parse("100.64.0.9")],
            _ => throw new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.HostNotFound),
        });
    }

    private async Task<(HttpClient Client, string Project, WebApplicationFactory<Program> Factory)> ImporterAsync(params int[] allowedLoopbackPorts)
    {
        var settings = new Dictionary<string, string?>();
        for (var i = 0; i < allowedLoopbackPorts.Length; i++)
        {
            settings[$"Fetch:AllowedEndpoints:{i}"] = $"127.0.0.1:{allowedLoopbackPorts[i]}";
        }
        var factory = Fixture.CreateFactory(settings).WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<IHostResolver, FakeResolver>()));
        var session = await this.RegisterUserAsync(factory.CreateClient);
        var project = (await session.Client.CreateProjectAsync("imports"))["id"]!.GetValue<string>();
        return (session.Client, project, factory);
    }

    [Theory]
    [InlineData("http://127.0.0.1/x.png")]
    [InlineData("http://127.1/x.png")]
    [InlineData("http://0x7f.1/")]
    [InlineData("http://2130706433/")]
    [InlineData("http://0177.0.0.1/x.png")]
    [InlineData("http://[64:ff9b::7f00:1]/x.png")]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("http://[::1]/x.png")]
    [InlineData("http://[::ffff:127.0.0.1]/x.png")]
    [InlineData("http://[fe80::1]/x.png")]
    [InlineData("http://0.0.0.0/x.png")]
    [InlineData("http://10.0.0.1/x.png")]
    [InlineData("http://192.168.1.1/x.png")]
    [InlineData("http://internal.example/x.png")]
    [InlineData("http://metadata.example/latest/")]
    [InlineData("http://rebind.example/x.png")]
    [InlineData("http://v6local.example/x.png")]
    [InlineData("http://mapped.example/x.png")]
    [InlineData("http://cgnat.example/x.png")]
    [InlineData("ftp://example.com/x.png")]
    [InlineData("file:///etc/passwd")]
    [InlineData("http://user:pass@example.com/x.png")]
    public async Task Non_public_targets_are_refused(string url)
    {
        var (client, project, factory) = await ImporterAsync();
        await using (factory)
        {
            var response = await client.PostAsJsonAsync($"/v1/projects/{project}/assets", new { url });
            await response.AssertProblemAsync(HttpStatusCode.BadRequest, "url-not-allowed");
        }
    }

    [Theory]
    [InlineData("http://127.0.0.1:9/hook")]
    [InlineData("http://localhost/hook")]
    [InlineData("http://0177.0.0.1/hook")]
    [InlineData("http://[::ffff:127.0.0.1]/hook")]
    [InlineData("http://169.254.169.254/latest/")]
    [InlineData("http://internal.example/hook")]
    [InlineData("http://rebind.example/hook")]
    [InlineData("https://user:pass@example.com/hook")]
    public async Task A_render_whose_webhook_url_is_not_public_is_refused_at_creation(string url)
    {
        var (client, project, factory) = await ImporterAsync();
        await using (factory)
        {
            var single = await client.PostAsJsonAsync($"/v1/projects/{project}/renders", WithWebhook(url));
            var problem = await single.AssertProblemAsync(HttpStatusCode.BadRequest, "url-not-allowed");
            Assert.Contains("webhook_url", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
            var batch = await client.PostAsJsonAsync($"/v1/projects/{project}/renders/batch", new { renders = new[] { WithWebhook("https://93.184.216.34/ok"), WithWebhook(url) } });
            problem = await batch.AssertProblemAsync(HttpStatusCode.BadRequest, "url-not-allowed");
            Assert.Contains("renders[1].webhook_url", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.Empty((await (await client.GetAsync($"/v1/projects/{project}/renders")).ReadJsonAsync())["items"]!.AsArray());
        }
    }

    [Fact]
    public async Task A_public_or_unresolvable_webhook_url_is_accepted_and_private_ones_too_when_allowed()
    {
        var (client, project, factory) = await ImporterAsync();
        await using (factory)
        {
            Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsJsonAsync($"/v1/projects/{project}/renders", WithWebhook("https://93.184.216.34/hook"))).StatusCode);
            Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsJsonAsync($"/v1/projects/{project}/renders", WithWebhook("https://not-yet.example/hook"))).StatusCode); // resolved again at delivery
        }
        await using var allowing = Fixture.CreateFactory(new Dictionary<string, string?> { ["Webhooks:AllowPrivateTargets"] = "true" });
        var session = await this.RegisterUserAsync(allowing.CreateClient);
        var own = (await session.Client.CreateProjectAsync("dev"))["id"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.Accepted, (await session.Client.PostAsJsonAsync($"/v1/projects/{own}/renders", WithWebhook("http://127.0.0.1:9/hook"))).StatusCode);
    }

    private static object WithWebhook(string url) => new
    {
        composition = new { duration = 1, background = "#000000", layers = new object[] { new { type = "text", text = "hi", start = 0 } } },
        output_settings = new { format = "mp4", width = 64, height = 64, fps = 5, quality = "standard" },
        webhook_url = url,
    };

    [Fact]
    public async Task An_allowed_first_hop_imports_but_a_redirect_to_a_private_address_is_refused()
    {
        await using var target = await LoopbackServer.StartAsync(app => app.MapGet("/secret.png", () => LoopbackServer.File(TestMedia.Png, "image/png")));
        await using var source = await LoopbackServer.StartAsync(app =>
        {
            app.MapGet("/logo.png", () => LoopbackServer.File(TestMedia.Png, "image/png"));
            app.MapGet("/to-loopback", () => Results.Redirect(target.Url("/secret.png")));
            app.MapGet("/to-internal", () => Results.Redirect("http://internal.example/x.png"));
            app.MapGet("/to-metadata", () => Results.Redirect("http://169.254.169.254/latest/meta-data/"));
            app.MapGet("/loop", (HttpContext http) => Results.Redirect("/loop?n=" + (int.Parse(http.Request.Query["n"].FirstOrDefault() ?? "0", System.Globalization.CultureInfo.InvariantCulture) + 1)));
            app.MapGet("/missing", () => Results.NotFound());
        });
        var (client, project, factory) = await ImporterAsync(source.Port); // only the source is allowlisted, not the target
        await using (factory)
        {
            var ok = await client.PostAsJsonAsync($"/v1/projects/{project}/assets", new { url = source.Url("/logo.png") });
            Assert.Equal(HttpStatusCode.Created, ok.StatusCode);
            var asset = await ok.ReadJsonAsync();
            Assert.Equal("image/png", asset["content_type"]!.GetValue<string>());
            Assert.Equal(source.Url("/logo.png"), asset["source_url"]!.GetValue<string>());

            foreach (var path in new[] { "/to-loopback", "/to-internal", "/to-metadata" })
            {
                var refused = await client.PostAsJsonAsync($"/v1/projects/{project}/assets", new { url = source.Url(path) });
                await refused.AssertProblemAsync(HttpStatusCode.BadRequest, "url-not-allowed");
            }
            await (await client.PostAsJsonAsync($"/v1/projects/{project}/assets", new { url = source.Url("/loop") })).AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "fetch-failed");
            await (await client.PostAsJsonAsync($"/v1/projects/{project}/assets", new { url = source.Url("/missing") })).AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "fetch-failed");
            await (await client.PostAsJsonAsync($"/v1/projects/{project}/assets", new { url = "https://unknown.example/x.png" })).AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "fetch-failed");
            await (await client.PostAsJsonAsync($"/v1/projects/{project}/assets", new { url = "not a url" })).AssertProblemAsync(HttpStatusCode.BadRequest, "validation-failed");
        }
    }

    [Fact]
    public void The_address_classifier_knows_the_special_ranges()
    {
        foreach (var p in new[] { "8.8.8.8", "93.184.216.34", "2606:4700:4700::1111", "172.32.0.1", "100.128.0.1" })
        {
            Assert.True(SafeFetcher.IsPublic(IPAddress.Parse(p)), p);
        }
        foreach (var p in new[] { "127.0.0.1", "10.0.0.1", "172.16.0.1", "172.31.255.255", "192.168.0.1", "169.254.169.254", "100.64.0.1", "0.0.0.0", "224.0.0.1",
            "255.255.255.255", "::", "::1", "fe80::1", "fc00::1", "fd12::1", "ff02::1", "::ffff:10.0.0.1", "64:ff9b::a00:1", "2002:a00:1::1", "2001:db8::1" })
        {
            Assert.False(SafeFetcher.IsPublic(IPAddress.Parse(p)), p);
        }
    }
}
