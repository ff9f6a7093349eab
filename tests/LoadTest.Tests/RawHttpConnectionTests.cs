using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace RenderOwl.LoadTest.Tests;

/// <summary>
/// The tool's own HTTP/1.1 client against Kestrel: every way a response can end (length, chunks, close, no body)
/// leaves the connection ready for the next request, which the server sees arrive on the same connection.
/// </summary>
public sealed class RawHttpConnectionTests : IAsyncLifetime
{
    private WebApplication _app = null!;
    private Uri _base = null!;
    private readonly ConcurrentDictionary<string, int> _connections = new();
    private readonly ConcurrentQueue<string> _bodies = new();
    private readonly ConcurrentDictionary<int, long> _answered = new();
    private int _mixed;
    private static readonly CancellationToken Ct = CancellationToken.None;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.WebHost.ConfigureKestrel(k => k.Limits.KeepAliveTimeout = TimeSpan.FromSeconds(1));
        var app = builder.Build();
        app.Use(async (context, next) =>
        {
            _connections.AddOrUpdate(context.Connection.Id, 1, (_, n) => n + 1);
            await next(context);
        });
        app.MapMethods("/fixed", ["GET", "HEAD"], () => Results.Text(new string('x', 40_000))); // larger than the client's first buffer
        app.MapGet("/chunked", async (HttpContext context) =>
        {
            for (var i = 0; i < 5; i++)
            {
                await context.Response.WriteAsync(new string((char)('a' + i), 7000));
                await context.Response.Body.FlushAsync(); // each write its own chunk
            }
        });
        app.MapGet("/close", (HttpContext context) =>
        {
            context.Response.Headers.Connection = "close";
            return Results.Text("bye");
        });
        app.MapGet("/mixed", () =>
        {
            var code = (Interlocked.Increment(ref _mixed) % 3) switch { 0 => 200, 1 => 404, _ => 503 };
            _answered.AddOrUpdate(code, 1, (_, n) => n + 1);
            return Results.StatusCode(code);
        });
        app.MapPost("/echo", async (HttpContext context) =>
        {
            using var reader = new StreamReader(context.Request.Body);
            _bodies.Enqueue(context.Request.ContentType + " " + await reader.ReadToEndAsync());
            return Results.NoContent();
        });
        await app.StartAsync();
        (_app, _base) = (app, new Uri(app.Urls.First()));
    }

    public async Task DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private byte[] Request(string path, HttpMethod? method = null, string? body = null)
        => RawHttpConnection.Prepare(new Uri(_base, path), method ?? HttpMethod.Get, [("X-Test", "1")], body, "application/json");

    [Theory]
    [InlineData("/fixed")]
    [InlineData("/chunked")]
    public async Task A_response_read_to_its_end_leaves_the_connection_for_the_next_request(string path)
    {
        await using var connection = new RawHttpConnection(new Uri(_base, path));
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(200, await connection.SendAsync(Request(path), Ct));
        }

        Assert.Equal(5, Assert.Single(_connections).Value);
    }

    [Fact]
    public async Task A_connection_the_server_closes_is_opened_again_for_the_next_request()
    {
        await using var connection = new RawHttpConnection(new Uri(_base, "/close"));
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(200, await connection.SendAsync(Request("/close"), Ct));
        }

        Assert.Equal(3, _connections.Count);
    }

    [Fact]
    public async Task A_head_answer_has_no_body_whatever_its_length_says()
    {
        await using var connection = new RawHttpConnection(new Uri(_base, "/fixed"), head: true);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(10)); // waiting for 40,000 bytes that never come would hang here

        Assert.Equal(200, await connection.SendAsync(Request("/fixed", HttpMethod.Head), timeout.Token));
        Assert.Equal(200, await connection.SendAsync(Request("/fixed", HttpMethod.Head), timeout.Token));
        Assert.Equal(2, Assert.Single(_connections).Value);
    }

    [Fact]
    public async Task A_kept_alive_connection_closed_while_idle_is_replaced_without_an_error()
    {
        await using var connection = new RawHttpConnection(new Uri(_base, "/fixed"));
        Assert.Equal(200, await connection.SendAsync(Request("/fixed"), Ct));

        // Kestrel's keep-alive timeout is 1 s here; its heartbeat closes the idle connection within the next second.
        await Task.Delay(TimeSpan.FromSeconds(3), Ct);

        Assert.Equal(200, await connection.SendAsync(Request("/fixed"), Ct));
        Assert.Equal(2, _connections.Count);
    }

    [Fact]
    public async Task A_body_is_sent_with_its_type_and_length_and_the_status_comes_back()
    {
        await using var connection = new RawHttpConnection(new Uri(_base, "/echo"));

        Assert.Equal(204, await connection.SendAsync(Request("/echo", HttpMethod.Post, """{"name":"é"}"""), Ct));
        Assert.Equal(204, await connection.SendAsync(Request("/echo", HttpMethod.Post, "{}"), Ct));
        Assert.Equal(["application/json {\"name\":\"é\"}", "application/json {}"], _bodies.ToArray());
    }

    [Fact]
    public async Task The_status_mix_counts_each_code_the_server_answered()
    {
        // Open loop: the schedule, not the machine's speed, fixes how many requests there are (40 due in 0.79 s, all
        // within the in-flight cap), so a busy machine answers them late but never fewer.
        var options = LoadOptions.Parse(["--endpoint", new Uri(_base, "/mixed").ToString(), "--rps", "50", "--concurrency", "64", "--duration", "790ms", "--quiet"]);

        var report = await new LoadRunner(options).RunAsync(Ct);

        Assert.Equal(40, report.Completed);
        Assert.Equal(40, _answered.Values.Sum());
        var expected = _answered.ToDictionary(a => a.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), a => a.Value);
        Assert.Equal(3, expected.Count);
        Assert.Equal(expected.OrderBy(e => e.Key), report.Statuses.OrderBy(s => s.Key));
        Assert.Equal((expected["404"] + expected["503"]) / 40.0, report.ErrorRate, 6);
    }
}
