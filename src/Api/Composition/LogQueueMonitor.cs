using System.Diagnostics.Metrics;
using RenderOwl.Infrastructure.Observability;
using Serilog.Sinks.Async;

namespace RenderOwl.Api.Composition;

/// <summary>
/// The console sink runs behind a bounded queue on its own thread, so a request never waits for a write to stdout.
/// When the writer falls behind by more than <c>Logging:QueueSize</c> events, new events are dropped rather than
/// slowing every request: this counts them (<c>renderowl.log.dropped</c>) and shows the queue's depth
/// (<c>renderowl.log.queued</c>), so an operator sees the loss instead of guessing at it. One per logger; the
/// metrics show the most recently started one (a process has one, tests start several). <see cref="Queued"/> tells
/// the <see cref="BufferedConsoleSink"/> behind it when nothing more is waiting.
/// </summary>
public sealed class LogQueueMonitor : IAsyncLogEventSinkMonitor
{
    private static readonly Meter Meter = new(RenderOwlMetrics.MeterName);
    private static LogQueueMonitor? s_current;
    private IAsyncLogEventSinkInspector? _inspector;

    static LogQueueMonitor()
    {
        Meter.CreateObservableCounter("renderowl.log.dropped", () => s_current?._inspector?.DroppedMessagesCount ?? 0,
            description: "Log events dropped because the console writer was behind by a full queue");
        Meter.CreateObservableGauge("renderowl.log.queued", () => s_current?.Queued ?? 0,
            description: "Log events waiting for the console writer");
    }

    /// <summary>Events waiting in this logger's queue.</summary>
    public int Queued => _inspector?.Count ?? 0;

    public void StartMonitoring(IAsyncLogEventSinkInspector inspector)
    {
        _inspector = inspector;
        s_current = this;
    }

    public void StopMonitoring(IAsyncLogEventSinkInspector inspector)
    {
        Interlocked.CompareExchange(ref _inspector, null, inspector);
        Interlocked.CompareExchange(ref s_current, null, this);
    }
}
