using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Domain.Operations;

namespace RenderOwl.Infrastructure.Monitoring;

/// <summary>
/// Server errors from the request path into <c>operations.error_logs</c>, in batches off the request: a bounded queue
/// (the request never waits, never fails because of it) drained by one writer. A batch that cannot be written (the
/// database being down is the usual reason for the 5xx in the first place) is tried again a few times, then dropped
/// and counted in the log; the errors are in the log and Sentry anyway.
/// </summary>
public sealed partial class ErrorLogWriter(IServiceScopeFactory scopes, ILogger<ErrorLogWriter> logger) : BackgroundService, IErrorLogQueue
{
    public const int Capacity = 10_000;
    private const int BatchSize = 500;
    private const int Attempts = 5;
    private readonly Channel<ErrorLog> _queue = Channel.CreateBounded<ErrorLog>(new BoundedChannelOptions(Capacity)
    {
        FullMode = BoundedChannelFullMode.DropWrite,
        SingleReader = true,
    });
    private readonly SemaphoreSlim _writing = new(1, 1);
    private long _dropped;

    public bool TryAdd(ErrorLog error)
    {
        if (_queue.Writer.TryWrite(error))
        {
            return true;
        }
        Interlocked.Increment(ref _dropped);
        return false;
    }

    /// <summary>Writes what is queued now, after any write under way (tests, and the last flush at shutdown).</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        await _writing.WaitAsync(cancellationToken);
        try
        {
            var batch = new List<ErrorLog>(BatchSize);
            while (_queue.Reader.TryRead(out var error))
            {
                batch.Add(error);
                if (batch.Count == BatchSize)
                {
                    await WriteAsync(batch, cancellationToken);
                    batch.Clear();
                }
            }
            if (batch.Count > 0)
            {
                await WriteAsync(batch, cancellationToken);
            }
        }
        finally
        {
            _writing.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
            {
                await FlushAsync(stoppingToken);
                if (Interlocked.Exchange(ref _dropped, 0) is > 0 and var dropped)
                {
                    LogDropped(dropped);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            using var last = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await FlushAsync(last.Token).ConfigureAwait(false);
        }
    }

    private async Task WriteAsync(List<ErrorLog> batch, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<IAppDbContext>();
                db.ErrorLogs.AddRange(batch);
                await db.SaveChangesAsync(cancellationToken);
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                if (attempt == Attempts)
                {
                    LogLost(e, batch.Count);
                    return;
                }
                LogRetry(e.GetType().Name, batch.Count, attempt);
                await Task.Delay(TimeSpan.FromSeconds(attempt * 2), cancellationToken);
            }
        }
    }

    [LoggerMessage(EventId = 7101, Level = LogLevel.Warning, Message = "Error log: {Count} error(s) not yet stored ({Failure}), attempt {Attempt}; trying again")]
    private partial void LogRetry(string failure, int count, int attempt);

    [LoggerMessage(EventId = 7102, Level = LogLevel.Error, Message = "Error log: {Count} error(s) could not be stored and were dropped")]
    private partial void LogLost(Exception exception, int count);

    [LoggerMessage(EventId = 7103, Level = LogLevel.Warning, Message = "Error log: the queue was full, {Dropped} error(s) were not recorded")]
    private partial void LogDropped(long dropped);
}
