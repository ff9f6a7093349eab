using System.Net;
using System.Net.Http.Json;

namespace RenderOwl.Api.IntegrationTests.Infrastructure;

/// <summary>An account with one of each resource the API has, for tests that walk every route with an id.</summary>
public static class AccountResources
{
    /// <summary>One of each of A's resources, through the API; their ids by route parameter name.</summary>
    public static async Task<Dictionary<string, string>> OneOfEachAsync(HttpClient a)
    {
        var project = (await a.CreateProjectAsync("A's project"))["id"]!.GetValue<string>();
        var key = await (await a.PostAsJsonAsync("/v1/api-keys", new { name = "A's key" })).ReadJsonAsync();
        var asset = await (await a.PostAsync($"/v1/projects/{project}/assets", TestMedia.Multipart(TestMedia.Png, "a.png", "image/png"))).ReadJsonAsync();
        var template = await (await a.PostAsJsonAsync("/v1/templates", new
        {
            name = "A's template",
            composition = new { duration = 1, background = "#000000", layers = Array.Empty<object>() },
        })).ReadJsonAsync();
        var render = (await a.SubmitAsync(project, Renders.Small()))["id"]!.GetValue<string>();
        var canceled = (await a.SubmitAsync(project, Renders.Small()))["id"]!.GetValue<string>();
        await a.PostAsync($"/v1/renders/{canceled}/cancel", null);
        var notification = (await (await a.GetAsync("/v1/notifications")).ReadJsonAsync())["items"]![0]!["id"]!.GetValue<string>();
        var webhook = (await (await a.PostAsJsonAsync($"/v1/projects/{project}/webhooks", new { url = "https://93.184.216.34/hook" })).ReadJsonAsync())["id"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.Accepted, (await a.PostAsync($"/v1/webhooks/{webhook}/test", null)).StatusCode);
        var delivery = (await (await a.GetAsync($"/v1/webhooks/{webhook}/deliveries")).ReadJsonAsync())["items"]![0]!["id"]!.GetValue<string>();
        var export = (await (await a.PostAsync("/v1/me/exports", null)).ReadJsonAsync())["id"]!.GetValue<string>();
        return new Dictionary<string, string>
        {
            ["project_id"] = project, ["key_id"] = key["id"]!.GetValue<string>(), ["asset_id"] = asset["id"]!.GetValue<string>(),
            ["template_id"] = template["id"]!.GetValue<string>(), ["render_id"] = render, ["notification_id"] = notification,
            ["webhook_id"] = webhook, ["delivery_id"] = delivery, ["export_id"] = export,
            ["error_id"] = $"err_{RenderOwl.Domain.Common.CrockfordBase32.Encode(Guid.CreateVersion7())}",
        };
    }
}
