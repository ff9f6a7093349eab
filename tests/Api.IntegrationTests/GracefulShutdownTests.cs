using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using RenderOwl.Api.IntegrationTests.Infrastructure;

namespace RenderOwl.Api.IntegrationTests;

/// <summary>SIGTERM to an API process under keep-alive load: it drains, then finishes what it took; no client loses a request.</summary>
public sealed class GracefulShutdownTests(ApiFixture fixture) : ApiTest(fixture)
{
    private static bool Refused(Exception ex) => ex is HttpRequestException { InnerException: SocketException { SocketErrorCode: SocketError.ConnectionRefused } };

    [Fact]
    public async Task SIGTERM_under_keep_alive_load_drains_with_ready_503_and_no_request_sent_before_the_listener_closed_fails()
    {
        var port = ApiProcess.FreePort();
        using var api = ApiProcess.Start(Fixture.Settings(new Dictionary<string, string?> { ["Shutdown:DrainSeconds"] = "2" }), role: "api", port);
        var baseUri = new Uri($"http://127.0.0.1:{port}");
        try
        {
            using var probe = new HttpClient { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(5) };
            await api.WaitUntilReadyAsync(port, TimeSpan.FromSeconds(60));
            var session = await this.RegisterUserAsync(() => new HttpClient { BaseAddress = baseUri });

            var ok = 0;
            var refused = 0;
            var closing = 0;
            var failures = new System.Collections.Concurrent.ConcurrentQueue<string>();
            var terminated = false;
            using var stop = new CancellationTokenSource();
            var clients = Enumerable.Range(0, 8).Select(async _ =>
            {
                using var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = Timeout.InfiniteTimeSpan }) { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(30) };
                http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", session.AccessToken);
                while (!stop.IsCancellationRequested)
                {
                    try
                    {
                        using var response = await http.GetAsync("/v1/me", stop.Token);
                        if (response.StatusCode == HttpStatusCode.OK)
                        {
                            Interlocked.Increment(ref ok);
                        }
                        else
                        {
                            failures.Enqueue($"status {(int)response.StatusCode}");
                        }
                        if (Volatile.Read(ref terminated) && response.Headers.ConnectionClose == true)
                        {
                            // Told the instance is leaving, the client goes elsewhere, as behind a load balancer that
                            // saw /ready 503. (One that kept opening connections could meet the kernel's reset of the
                            // listen backlog when the listener closes: nobody is left to accept those.)
                            Interlocked.Increment(ref closing);
                            return;
                        }
                    }
                    catch (OperationCanceledException) when (stop.IsCancellationRequested)
                    {
                    }
                    catch (Exception ex) when (Refused(ex))
                    {
                        Interlocked.Increment(ref refused); // the listener has closed: the request was never sent
                        await Task.Delay(20);
                    }
                    catch (Exception ex)
                    {
                        failures.Enqueue($"{ex.GetType().Name}: {ex.Message} / {ex.InnerException?.GetType().Name}: {ex.InnerException?.Message}");
                    }
                }
            }).ToList();

            // Under load, with connections kept alive: a number of answers, however long a busy machine takes for them.
            var loaded = DateTime.UtcNow.AddSeconds(60);
            while (Volatile.Read(ref ok) < 200 && failures.IsEmpty && DateTime.UtcNow < loaded)
            {
                await Task.Delay(50);
            }
            var before = Volatile.Read(ref ok);
            Assert.True(before >= 200 && failures.IsEmpty, $"{before} requests before SIGTERM; failures: {string.Join("; ", failures.Take(3))}");
            await api.TerminateAsync();
            Volatile.Write(ref terminated, true);

            // While it drains, /ready says 503 and the API still answers.
            var ready503 = false;
            var drainDeadline = DateTime.UtcNow.AddSeconds(2);
            while (DateTime.UtcNow < drainDeadline && !ready503)
            {
                try
                {
                    ready503 = (await probe.GetAsync("/ready")).StatusCode == HttpStatusCode.ServiceUnavailable;
                }
                catch (HttpRequestException)
                {
                    break;
                }
                await Task.Delay(100);
            }
            using var exited = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await api.Process.WaitForExitAsync(exited.Token);
            await stop.CancelAsync();
            await Task.WhenAll(clients);

            Assert.True(failures.IsEmpty, $"{failures.Count} requests failed, e.g.:\n{string.Join("\n", failures.Take(5))}");
            Assert.True(ready503, "/ready did not answer 503 while draining");
            Assert.True(Volatile.Read(ref ok) > before, "requests were served during the drain");
            Assert.True(refused == 0, $"{refused} connections were refused although every client had left");
            Assert.True(closing > 0, "responses during the drain asked to close the connection");
            await Assert.ThrowsAsync<HttpRequestException>(() => probe.GetAsync("/live")); // the listener is closed now
            Assert.Equal(0, api.Process.ExitCode);
        }
        finally
        {
            api.Dispose();
        }
    }
}
