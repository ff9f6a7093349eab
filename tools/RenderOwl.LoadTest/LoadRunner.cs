using System.Collections.Concurrent;
using System.Diagnostics;
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
    private readonly long[] _codes = new long[600]; // answers by status code
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(60);

    public async Task<LoadReport> RunAsync(CancellationToken cancellationToken = default)
    {
        var request = RawHttpConnection.Prepare(options.Endpoint, options.Method, options.Headers, options.Body, options.ContentType);
        var clock = Stopwatch.StartNew();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var reporter = progress is null ? Task.CompletedTask : ReportProgressAsync(clock, stop.Token);
        if (options.Rps is { } rps)
        {
            await OpenLoopAsync(request, clock, rps, cancellationToken);
        }
        else
        {
            await Task.WhenAll(Enumerable.Range(0, options.Concurrency).Select(_ => ClosedLoopAsync(request, clock, cancellationToken)));
        }
        var elapsed = clock.Elapsed;
        await stop.CancelAsync();
        await reporter;
        progress?.WriteLine();
        lock (_record)
        {
            var statuses = new Dictionary<string, long>(_statuses);
            for (var code = 0; code < _codes.Length; code++)
            {
                if (_codes[code] > 0)
                {
                    statuses[code.ToString(System.Globalization.CultureInfo.InvariantCulture)] = _codes[code];
                }
            }
            return LoadReport.From(options, _latency.Copy(), elapsed, _issued, _completed, _failed, _refused, statuses);
        }
    }

    /// <summary>One client on its own connection, sending its next request when the last one is answered.</summary>
    private async Task ClosedLoopAsync(byte[] request, Stopwatch clock, CancellationToken cancellationToken)
    {
        await Task.Yield(); // every client starts on the thread pool, not inline on the caller's
        await using var connection = new RawHttpConnection(options.Endpoint, options.Method == HttpMethod.Head);
        var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            while (clock.Elapsed < options.Duration && !cancellationToken.IsCancellationRequested)
            {
                Interlocked.Increment(ref _issued);
                await SendAsync(connection, request, clock, clock.Elapsed, timeout, cancellationToken);
                if (timeout.IsCancellationRequested)
                {
                    timeout.Dispose(); // a request timed out: a fresh timer for the next one
                    timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                }
            }
        }
        finally
        {
            timeout.Dispose();
        }
    }

    private async Task OpenLoopAsync(byte[] request, Stopwatch clock, double rps, CancellationToken cancellationToken)
    {
        var inFlight = new SemaphoreSlim(options.Concurrency);
        var idle = new ConcurrentBag<RawHttpConnection>();
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
                // At most Concurrency requests are in flight, so at most that many connections are ever opened.
                var connection = idle.TryTake(out var open) ? open : new RawHttpConnection(options.Endpoint, options.Method == HttpMethod.Head);
                try
                {
                    using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    await SendAsync(connection, request, clock, due, timeout, cancellationToken);
                }
                finally
                {
                    idle.Add(connection);
                    inFlight.Release();
                    running.TryRemove(n, out _);
                }
            }, CancellationToken.None);
        }
        await Task.WhenAll(running.Values);
        foreach (var connection in idle)
        {
            await connection.DisposeAsync();
        }
    }

    private async Task SendAsync(RawHttpConnection connection, byte[] request, Stopwatch clock, TimeSpan due, CancellationTokenSource timeout, CancellationToken cancellationToken)
    {
        string status;
        bool failed;
        timeout.CancelAfter(RequestTimeout);
        try
        {
            var code = await connection.SendAsync(request, timeout.Token);
            RecordLatency(clock, due);
            Interlocked.Increment(ref _codes[Math.Clamp(code, 0, _codes.Length - 1)]); // named at the end: no string per request
            if (code >= 400)
            {
                Interlocked.Increment(ref _failed);
            }
            return;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return;
        }
        catch (OperationCanceledException)
        {
            status = "timeout";
            failed = true;
        }
        catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException)
        {
            status = "connection_error";
            failed = true;
        }
        finally
        {
            timeout.TryReset();
        }
        RecordLatency(clock, due);
        Count(status, failed);
    }

    private void RecordLatency(Stopwatch clock, TimeSpan due)
    {
        var micros = Math.Max(1, (long)((clock.Elapsed - due).TotalMicroseconds));
        lock (_record)
        {
            _latency.RecordValue(Math.Min(micros, _latency.HighestTrackableValue));
        }
        Interlocked.Increment(ref _completed);
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
