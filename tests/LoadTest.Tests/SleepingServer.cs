using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace RenderOwl.LoadTest.Tests;

/// <summary>A local endpoint that answers after a fixed, known time (on a free loopback port): the known distribution.</summary>
internal sealed class SleepingServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private SleepingServer(WebApplication app) => _app = app;

    public Uri Url { get; private set; } = null!;

    public static async Task<SleepingServer> StartAsync(TimeSpan sleep)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapGet("/sleep", async () =>
        {
            await Task.Delay(sleep);
            return Results.Text("ok");
        });
        var server = new SleepingServer(app);
        await app.StartAsync();
        server.Url = new Uri(app.Urls.First() + "/sleep");
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
