using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RenderOwl.Api.Http;
using RenderOwl.Api.IntegrationTests.Infrastructure;
using Serilog.Events;
using Serilog.Parsing;

namespace RenderOwl.Api.IntegrationTests;

public sealed class LogMaskingTests(ApiFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public async Task No_secret_of_a_session_reaches_the_logs()
    {
        var capture = new LogCapture();
        await using var factory = capture.Attach(Fixture.CreateFactory(new Dictionary<string, string?> { ["Serilog:MinimumLevel:Default"] = "Debug" }));
        var session = await this.RegisterUserAsync(factory.CreateClient);
        var http = factory.CreateClient();
        var login = await (await http.PostAsJsonAsync("/v1/auth/login", new { email = session.Email, password = session.Password })).ReadJsonAsync();
        var refresh = login["refresh_token"]!.GetValue<string>();
        var refreshed = await (await http.PostAsJsonAsync("/v1/auth/refresh", new { refresh_token = refresh })).ReadJsonAsync();
        var key = (await (await session.Client.PostAsJsonAsync("/v1/api-keys", new { name = "k" })).ReadJsonAsync())["key"]!.GetValue<string>();
        var withKey = factory.CreateClient();
        withKey.DefaultRequestHeaders.Add("X-API-Key", key);
        Assert.Equal(HttpStatusCode.OK, (await withKey.GetAsync("/v1/me")).StatusCode);
        await http.PostAsJsonAsync("/v1/auth/login", new { email = session.Email, password = "wrong password here" });
        await http.PostAsJsonAsync("/v1/auth/register", new { email = session.Email, password = session.Password, name = "dup" });

        // And a careless line through the application's own logging pipeline: it must come out masked.
        var logger = factory.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Careless");
        logger.LogWarning("Login by {Email} with {Password}, header {Authorization}, note {Note}",
            session.Email, session.Password, "Bearer " + session.AccessToken, $"key {key} refresh {refresh}");

        var secrets = new[]
        {
            session.Password, session.Email, session.AccessToken, session.RefreshToken, refresh,
            login["access_token"]!.GetValue<string>(), refreshed["refresh_token"]!.GetValue<string>(), key,
        };
        Assert.NotEmpty(capture.Events);
        Assert.Contains(capture.Events, e => e.MessageTemplate.Text.StartsWith("Login by", StringComparison.Ordinal));
        foreach (var e in capture.Events)
        {
            var text = Render(e);
            foreach (var secret in secrets)
            {
                Assert.False(text.Contains(secret, StringComparison.Ordinal), $"a secret reached the logs: {text}");
            }
        }
    }

    [Fact]
    public void Sensitive_names_and_secret_looking_values_are_masked()
    {
        var parser = new MessageTemplateParser();
        var evt = new LogEvent(DateTimeOffset.UtcNow, LogEventLevel.Information, null, parser.Parse("{password} {Note} {User}"),
        [
            new LogEventProperty("password", new ScalarValue("hunter2")),
            new LogEventProperty("Note", new ScalarValue("mail ada@example.com, key rok_live_abcDEF123_-x, jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.sig_nature")),
            new LogEventProperty("User", new StructureValue([new LogEventProperty("Name", new ScalarValue("Ada")), new LogEventProperty("Email", new ScalarValue("ada@example.com"))])),
            new LogEventProperty("Count", new ScalarValue(3)),
        ]);
        new SensitiveDataMasking().Enrich(evt, null!);
        var rendered = Render(evt);
        Assert.DoesNotContain("hunter2", rendered, StringComparison.Ordinal);
        Assert.DoesNotContain("ada@example.com", rendered, StringComparison.Ordinal);
        Assert.DoesNotContain("rok_live_abc", rendered, StringComparison.Ordinal);
        Assert.DoesNotContain("eyJhbGci", rendered, StringComparison.Ordinal);
        Assert.Contains("Ada", rendered, StringComparison.Ordinal); // the rest stays readable
        Assert.Equal(3, ((ScalarValue)evt.Properties["Count"]).Value);
    }

    [Theory]
    [InlineData("GET /v1/shared/0123456789abcdef0123456789abcdef.1.1767225600.c2lnbmF0dXJlX3Zh responded 200", "c2lnbmF0dXJlX3Zh")]
    [InlineData("bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.sig_nature here", "eyJhbGciOiJIUzI1NiJ9")]
    [InlineData("key rok_test_AbC123 used", "rok_test_AbC123")]
    [InlineData("refresh rt_abcdefghijklmnopqrstuvwxyz0123", "rt_abcdefghijklmnopqrstuvwxyz0123")]
    [InlineData("invited grace.hopper+ops@navy.example.org today", "grace.hopper+ops@navy.example.org")]
    public void Each_kind_of_secret_is_masked_on_its_own_in_plain_text(string text, string secret)
    {
        var masked = SensitiveDataMasking.MaskValue(new ScalarValue(text));

        var rendered = Assert.IsType<string>(Assert.IsType<ScalarValue>(masked).Value);
        Assert.DoesNotContain(secret, rendered, StringComparison.Ordinal);
        Assert.Contains(SensitiveDataMasking.Mask, rendered, StringComparison.Ordinal);
        Assert.Equal(rendered, SensitiveDataMasking.MaskText(text));
    }

    [Theory]
    [InlineData("api_key")]
    [InlineData("X-Api-Key")]
    [InlineData("Set-Cookie")]
    [InlineData("refresh_token")]
    [InlineData("Password")]
    public void A_property_named_like_a_secret_is_masked_however_it_is_spelled(string name)
    {
        var evt = new LogEvent(DateTimeOffset.UtcNow, LogEventLevel.Information, null, new MessageTemplateParser().Parse("x"),
            [new LogEventProperty(name, new ScalarValue("plain")), new LogEventProperty("RequestPath", new ScalarValue("/v1/projects"))]);

        new SensitiveDataMasking().Enrich(evt, null!);

        Assert.Equal(SensitiveDataMasking.Mask, ((ScalarValue)evt.Properties[name]).Value);
        Assert.Equal("/v1/projects", ((ScalarValue)evt.Properties["RequestPath"]).Value);
    }

    private static string Render(LogEvent e)
    {
        using var writer = new StringWriter();
        writer.Write(e.RenderMessage());
        foreach (var (name, value) in e.Properties)
        {
            writer.Write($" {name}=");
            value.Render(writer);
        }
        writer.Write(e.Exception?.ToString());
        return writer.ToString();
    }
}
