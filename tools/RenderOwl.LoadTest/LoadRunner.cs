using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using HdrHistogram;

namespace RenderOwl.LoadTest;

/// <summary>
/// Sends the load and measures it. Closed loop (no rate): <c>Concurrency</c> clients, each sending its next request
/// when the last answered — what wrk does. Open loop (<c>Rps</c>): requests start at their due times whatever the
/// server does, up to <c>Concurrency</c> in flight, and a request's latency counts from when it was due, not from
/// when it could be sent — the correction for coordinated omission (a stalled server is not rewarded by the load
/// it stopped). Latencies go to an HdrHistogram in microseconds (1 µs … 10 min, 3 significant digits).
/// </summary>
public sealed class LoadRunner(LoadOptions options, TextWriter? progress = null)
{
    private readonly LongHistogram _latency = new(TimeSpan.FromMinutes(10).Ticks / 10, 3);
    private readonly object _record = new();
    private readonly ConcurrentDictionary<string, long> _statuses = new(StringComparer.Ordinal);
    private long _completed, _failed, _issued, _refused;

    public async Task<LoadReport> RunAsync(CancellationToken cancellationToken = default)
    {
        using var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = options.Concurrency,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            AutomaticDecompression = System.Net.DecompressionMethods.None,
            ActivityHeadersPropagator = null, // no traceparent per request: the tool's own cost stays near wrk's
            UseCookies = false,
        };
        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(60) };
        var clock = Stopwatch.StartNew();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var reporter = progress is null ? Task.CompletedTask : ReportProgressAsync(clock, stop.Token);
        if (options.Rps is { } rps)
        {
            await OpenLoopAsync(client, clock, rps, cancellationToken);
        }
        else
        {
            await Task.WhenAll(Enumerable.Range(0, options.Concurrency).Select(_ => ClosedLoopAsync(client, clock, cancellationToken)));
        }
        var elapsed = clock.Elapsed;
        await stop.CancelAsync();
        await reporter;
        progress?.WriteLine();
        lock (_record)
        {
            return LoadReport.From(options, _latency.Copy(), elapsed, _issued, _completed, _failed, _refused, new Dictionary<string, long>(_statuses));
        }
    }

    private async Task ClosedLoopAsync(HttpClient client, Stopwatch clock, CancellationToken cancellationToken)
    {
        while (clock.Elapsed < options.Duration && !cancellationToken.IsCancellationRequested)
        {
            Interlocked.Increment(ref _issued);
            await SendAsync(client, clock, clock.Elapsed, cancellationToken);
        }
    }

    private async Task OpenLoopAsync(HttpClient client, Stopwatch clock, double rps, CancellationToken cancellationToken)
    {
        var inFlight = new SemaphoreSlim(options.Concurrency);
        var running = new ConcurrentDictionary<long, Task>();
        for (long i = 0; ; i++)
        {
            var due = TimeSpan.FromSeconds(i / rps);
            if (due >= options.Duration || cancellationToken.IsCancellationRequested)
            {
                break;
            }
            var wait = due - clock.Elapsed;
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(wait, cancellationToken);
            }
            Interlocked.Increment(ref _issued);
            if (!inFlight.Wait(0))
            {
                Interlocked.Increment(ref _refused); // the in-flight cap is reached: counted as an error, the rate goes on
                Count("client_limit", failed: true);
                continue;
            }
            var n = i;
            running[n] = Task.Run(async () =>
            {
                try
                {
                    await SendAsync(client, clock, due, cancellationToken);
                }
                finally
                {
                    inFlight.Release();
                    running.TryRemove(n, out _);
                }
            }, CancellationToken.None);
        }
        await Task.WhenAll(running.Values);
    }

    private async Task SendAsync(HttpClient client, Stopwatch clock, TimeSpan due, CancellationToken cancellationToken)
    {
        string status;
        bool failed;
        try
        {
            using var request = new HttpRequestMessage(options.Method, options.Endpoint);
            foreach (var (name, value) in options.Headers)
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }
            if (options.Body is { } body)
            {
                request.Content = new StringContent(body, Encoding.UTF8);
                request.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(options.ContentType);
            }
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            await response.Content.CopyToAsync(Stream.Null, cancellationToken);
            status = ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
            failed = (int)response.StatusCode >= 400;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
        {
            status = ex is TaskCanceledException ? "timeout" : "connection_error";
            failed = true;
        }
        var micros = Math.Max(1, (long)((clock.Elapsed - due).TotalMicroseconds));
        lock (_record)
        {
            _latency.RecordValue(Math.Min(micros, _latency.HighestTrackableValue));
        }
        Interlocked.Increment(ref _completed);
        Count(status, failed);
    }

    private void Count(string status, bool failed)
    {
        _statuses.AddOrUpdate(status, 1, (_, n) => n + 1);
        if (failed)
        {
            Interlocked.Increment(ref _failed);
        }
    }

    private async Task ReportProgressAsync(Stopwatch clock, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        long last = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                var done = Interlocked.Read(ref _completed);
                progress!.Write(FormattableString.Invariant(
                    $"\r[{clock.Elapsed.TotalSeconds,5:F0}s / {options.Duration.TotalSeconds:F0}s] {done,9} done  {done - last,7} req/s  {Interlocked.Read(ref _failed),6} errors   "));
                last = done;
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
