using System.Diagnostics.Metrics;
using RenderOwl.Infrastructure.Observability;
using Serilog.Sinks.Async;

namespace RenderOwl.Api.Composition;

/// <summary>
/// The console sink runs behind a bounded queue on its own thread, so a request never waits for a write to stdout.
/// When the writer falls behind by more than <c>Logging:QueueSize</c> events, new events are dropped rather than
/// slowing every request: this counts them (<c>renderowl.log.dropped</c>) and shows the queue's depth
/// (<c>renderowl.log.queued</c>), so an operator sees the loss instead of guessing at it.
/// </summary>
public sealed class LogQueueMonitor : IAsyncLogEventSinkMonitor
{
    private static readonly Meter Meter = new(RenderOwlMetrics.MeterName);
    private IAsyncLogEventSinkInspector? _inspector;

    public LogQueueMonitor()
    {
        Meter.CreateObservableCounter("renderowl.log.dropped", () => _inspector?.DroppedMessagesCount ?? 0,
            description: "Log events dropped because the console writer was behind by a full queue");
        Meter.CreateObservableGauge("renderowl.log.queued", () => _inspector?.Count ?? 0,
            description: "Log events waiting for the console writer");
    }

    public static LogQueueMonitor Instance { get; } = new();

    public void StartMonitoring(IAsyncLogEventSinkInspector inspector) => _inspector = inspector;

    public void StopMonitoring(IAsyncLogEventSinkInspector inspector) => Interlocked.CompareExchange(ref _inspector, null, inspector);
}
