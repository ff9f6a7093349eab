using System.Net;
using RenderOwl.Api.IntegrationTests.Infrastructure;

namespace RenderOwl.Api.IntegrationTests;

public sealed class NotificationsTests(ApiFixture fixture) : ApiTest(fixture)
{
    /// <summary>An account with three renders canceled while queued: each reaches a final status, so each writes a notification.</summary>
    private async Task<(Session Session, List<string> Renders)> ThreeFinishedRendersAsync()
    {
        var session = await this.RegisterUserAsync(Anonymous);
        var project = (await session.Client.CreateProjectAsync("notify"))["id"]!.GetValue<string>();
        var renders = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var id = (await session.Client.SubmitAsync(project, Renders.Small()))["id"]!.GetValue<string>();
            Assert.Equal(HttpStatusCode.OK, (await session.Client.PostAsync($"/v1/renders/{id}/cancel", null)).StatusCode);
            renders.Add(id);
        }
        return (session, renders);
    }

    [Fact]
    public async Task A_finished_render_writes_an_unread_notification_listed_newest_first()
    {
        var (session, renders) = await ThreeFinishedRendersAsync();

        var all = await (await session.Client.GetAsync("/v1/notifications?page_size=2")).ReadJsonAsync();
        var items = all["items"]!.AsArray();
        Assert.Equal(2, items.Count);
        Assert.True(all["metadata"]!["has_next"]!.GetValue<bool>());
        var newest = items[0]!;
        Assert.StartsWith("ntf_", newest["id"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("render.canceled", newest["type"]!.GetValue<string>());
        Assert.Equal(renders[2], newest["data"]!["render_id"]!.GetValue<string>()); // newest first
        Assert.False(newest["read"]!.GetValue<bool>());
        Assert.Null(newest["read_at"]);
    }

    [Fact]
    public async Task Marking_read_keeps_the_first_time_and_filters_unread_and_read_all_marks_the_rest()
    {
        var (session, _) = await ThreeFinishedRendersAsync();
        var newest = (await (await session.Client.GetAsync("/v1/notifications?page_size=1")).ReadJsonAsync())["items"]![0]!;

        var read = await (await session.Client.PostAsync($"/v1/notifications/{newest["id"]}/read", null)).ReadJsonAsync();
        Assert.True(read["read"]!.GetValue<bool>());
        var readAt = read["read_at"]!.GetValue<string>();
        var again = await (await session.Client.PostAsync($"/v1/notifications/{newest["id"]}/read", null)).ReadJsonAsync();
        Assert.Equal(readAt, again["read_at"]!.GetValue<string>()); // reading twice keeps the first time

        var unread = await (await session.Client.GetAsync("/v1/notifications?unread=true")).ReadJsonAsync();
        Assert.Equal(2, unread["items"]!.AsArray().Count);
        Assert.DoesNotContain(unread["items"]!.AsArray(), n => n!["id"]!.GetValue<string>() == newest["id"]!.GetValue<string>());

        var all = await (await session.Client.PostAsync("/v1/notifications/read-all", null)).ReadJsonAsync();
        Assert.Equal(2, all["updated"]!.GetValue<int>());
        Assert.Empty((await (await session.Client.GetAsync("/v1/notifications?unread=true")).ReadJsonAsync())["items"]!.AsArray());
        Assert.Equal(3, (await (await session.Client.GetAsync("/v1/notifications?unread=false")).ReadJsonAsync())["items"]!.AsArray().Count);
    }

    [Fact]
    public async Task Another_account_neither_sees_nor_marks_them_and_a_bad_id_is_400()
    {
        var (session, _) = await ThreeFinishedRendersAsync();
        var newest = (await (await session.Client.GetAsync("/v1/notifications?page_size=1")).ReadJsonAsync())["items"]![0]!;

        var other = await this.RegisterUserAsync(Anonymous);
        Assert.Empty((await (await other.Client.GetAsync("/v1/notifications")).ReadJsonAsync())["items"]!.AsArray());
        await (await other.Client.PostAsync($"/v1/notifications/{newest["id"]}/read", null)).AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
        await (await session.Client.PostAsync("/v1/notifications/not-an-id/read", null)).AssertProblemAsync(HttpStatusCode.BadRequest, "invalid-id");
    }
}
