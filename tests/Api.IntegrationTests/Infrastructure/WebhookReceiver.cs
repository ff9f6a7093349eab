using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace RenderOwl.Api.IntegrationTests.Infrastructure;

/// <summary>One request a receiver got: its body as sent and its headers.</summary>
public sealed record ReceivedWebhook(string Body, IHeaderDictionary Headers)
{
    public string EventId => Headers["webhook-id"].ToString();
}

/// <summary>A webhook receiver on loopback: records every POST to <c>/hook</c> and answers with the statuses given to StartAsync in turn (then 200).</summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly LoopbackServer _server;
    private readonly ConcurrentQueue<int> _statuses;

    private WebhookReceiver(LoopbackServer server, ConcurrentQueue<int> statuses)
    {
        _server = server;
        _statuses = statuses;
    }

    public ConcurrentQueue<ReceivedWebhook> Received { get; } = new();

    public string Url => _server.Url("/hook");

    public static async Task<WebhookReceiver> StartAsync(params int[] statuses)
    {
        var queue = new ConcurrentQueue<int>(statuses);
        WebhookReceiver? receiver = null;
        var server = await LoopbackServer.StartAsync(app => app.MapPost("/hook", async (HttpContext http) =>
        {
            using var reader = new StreamReader(http.Request.Body);
            var body = await reader.ReadToEndAsync();
            receiver!.Received.Enqueue(new ReceivedWebhook(body, new HeaderDictionary(http.Request.Headers.ToDictionary(h => h.Key, h => h.Value))));
            return Results.StatusCode(queue.TryDequeue(out var status) ? status : 200);
        }));
        receiver = new WebhookReceiver(server, queue);
        return receiver;
    }

    public async Task<ReceivedWebhook> NextAsync(int count = 1, TimeSpan? within = null)
    {
        await Eventually.UntilAsync(() => Task.FromResult(Received.Count >= count), within ?? TimeSpan.FromSeconds(30), $"{count} webhook(s) arrived");
        return Received.ElementAt(count - 1);
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
