using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using RenderOwl.Api.IntegrationTests.Infrastructure;

namespace RenderOwl.Api.IntegrationTests;

/// <summary>
/// E-mail of finished renders through the real SMTP server scripts/services.sh runs on loopback (scripts/mailsink.py),
/// read back from the .eml files it keeps (RENDEROWL_MAIL_DIR).
/// </summary>
public sealed class EmailTests(ApiFixture fixture) : ApiTest(fixture)
{
    private static string MailDir => Environment.GetEnvironmentVariable("RENDEROWL_MAIL_DIR") is { Length: > 0 } dir ? dir
        : throw new InvalidOperationException("RENDEROWL_MAIL_DIR is not set: run the tests with scripts/services.sh's environment (make test)");

    public static List<string> MessagesTo(string email)
        => [.. Directory.EnumerateFiles(MailDir, "*.eml").Select(File.ReadAllText).Where(m => m.Contains("X-Envelope-To: " + email, StringComparison.OrdinalIgnoreCase))];

    [Fact]
    public async Task Patch_me_turns_email_notifications_on_and_get_me_shows_it()
    {
        var session = await this.RegisterUserAsync(Anonymous);
        Assert.False((await (await session.Client.GetAsync("/v1/me")).ReadJsonAsync())["email_notifications"]!.GetValue<bool>());
        var patched = await (await session.Client.PatchAsJsonAsync("/v1/me", new { email_notifications = true, name = "Renamed" })).ReadJsonAsync();
        Assert.True(patched["email_notifications"]!.GetValue<bool>());
        Assert.Equal("Renamed", patched["name"]!.GetValue<string>());
        await (await session.Client.PatchAsJsonAsync("/v1/me", new { name = " " })).AssertProblemAsync(HttpStatusCode.BadRequest, "validation-failed");
        await (await session.Client.PatchAsJsonAsync("/v1/me", new { email_notifications = (bool?)null })).AssertProblemAsync(HttpStatusCode.BadRequest, "validation-failed");
    }

    [Fact]
    public async Task An_opted_in_account_gets_exactly_one_email_per_finished_render_and_an_opted_out_one_none()
    {
        await using var worker = Fixture.CreateFactory(Renders.Worker);
        var on = await this.RegisterUserAsync(worker.CreateClient);
        var off = await this.RegisterUserAsync(worker.CreateClient);
        Assert.Equal(HttpStatusCode.OK, (await on.Client.PatchAsJsonAsync("/v1/me", new { email_notifications = true })).StatusCode);
        var onProject = (await on.Client.CreateProjectAsync("mail"))["id"]!.GetValue<string>();
        var offProject = (await off.Client.CreateProjectAsync("mail"))["id"]!.GetValue<string>();

        var rendered = (await on.Client.SubmitAsync(onProject, Renders.Small()))["id"]!.GetValue<string>();
        var quiet = (await off.Client.SubmitAsync(offProject, Renders.Small()))["id"]!.GetValue<string>();
        await on.Client.WaitForAsync(rendered, r => r.Status() == "succeeded");
        await off.Client.WaitForAsync(quiet, r => r.Status() == "succeeded");

        var messages = await Eventually.UntilAsync(() => Task.FromResult(MessagesTo(on.Email)), m => m.Count >= 1, TimeSpan.FromSeconds(30), "the e-mail arrived");
        var message = Assert.Single(messages);
        Assert.Contains($"Subject: Render {rendered} succeeded", message, StringComparison.Ordinal);
        Assert.Contains($"Message-Id: <render-{rendered}@renderowl>", message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains($"/v1/renders/{rendered}/output", message, StringComparison.Ordinal);
        Assert.Contains("text/html", message, StringComparison.Ordinal);

        // The job again (a Hangfire retry after the server accepted it and the job recorded it): no second copy.
        await Eventually.UntilAsync(async () => await Database.CountAsync(Fixture, $"SELECT count(*) FROM notifications.sent_emails WHERE message_id = 'render-{rendered}@renderowl'") == 1,
            TimeSpan.FromSeconds(30), "the job recorded the accepted message");
        await using (var scope = worker.Services.CreateAsyncScope())
        {
            var render = await (await on.Client.GetAsync($"/v1/renders/{rendered}")).Content.ReadAsStringAsync();
            await scope.ServiceProvider.GetRequiredService<RenderOwl.Infrastructure.Email.RenderEmailJob>()
                .SendAsync(Guid.Parse(await UserGuidAsync(on)), render, CancellationToken.None);
        }
        await Task.Delay(500); // the sink writes synchronously on accept; nothing should come
        Assert.Single(MessagesTo(on.Email));
        Assert.Empty(MessagesTo(off.Email));
    }

    private static Task<string> UserGuidAsync(Session session)
    {
        Assert.True(Domain.Common.TypedId.TryParse<Domain.Common.UserId>(session.UserId, out var id));
        return Task.FromResult(id.Value.ToString());
    }
}
