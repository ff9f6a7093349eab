using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RenderOwl.Api.Composition;
using RenderOwl.Api.IntegrationTests.Infrastructure;

namespace RenderOwl.Api.IntegrationTests;

/// <summary>
/// Kestrel runs requests on the thread that read them (<c>Server:InlineScheduling</c>, on unless configured off), and a
/// request that blocks its thread still leaves every other connection served: the runtime keeps handing socket
/// completions to the thread pool, so inline scheduling never puts application code on the socket engine's thread.
/// </summary>
public sealed class InlineSchedulingTests(ApiFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public void The_api_schedules_inline_by_default_and_configuration_turns_it_off()
    {
        Assert.True(Fixture.Factory.Services.GetRequiredService<IOptions<SocketTransportOptions>>().Value.UnsafePreferInlineScheduling);

        using var off = Fixture.CreateFactory(new Dictionary<string, string?> { ["Server:InlineScheduling"] = "false" });
        Assert.False(off.Services.GetRequiredService<IOptions<SocketTransportOptions>>().Value.UnsafePreferInlineScheduling);
    }

    [Fact]
    public async Task A_request_that_blocks_its_thread_does_not_hold_up_other_connections()
    {
        using var entered = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.WebHost.UseRenderOwlSockets(new ConfigurationBuilder().Build());
        await using var app = builder.Build();
        app.MapGet("/block", () =>
        {
            entered.Set();
            release.Wait(TimeSpan.FromSeconds(60)); // synchronously, as CPU-bound or sync-over-async code would
            return Results.Text("released");
        });
        app.MapGet("/ping", () => Results.Text("pong"));
        await app.StartAsync();
        Assert.True(app.Services.GetRequiredService<IOptions<SocketTransportOptions>>().Value.UnsafePreferInlineScheduling);
        var url = app.Urls.First();

        using var first = new HttpClient { Timeout = TimeSpan.FromSeconds(90) };
        var blocked = first.GetStringAsync(url + "/block");
        Assert.True(entered.Wait(TimeSpan.FromSeconds(30)), "the blocking request reached its handler");

        // Several fresh connections while the first request's thread is blocked: each is read and answered.
        for (var i = 0; i < 4; i++)
        {
            using var other = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            Assert.Equal("pong", await other.GetStringAsync(url + "/ping"));
        }
        Assert.False(blocked.IsCompleted);

        release.Set();
        Assert.Equal("released", await blocked);
        await app.StopAsync();
    }
}
