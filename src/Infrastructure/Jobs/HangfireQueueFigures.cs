using Hangfire;
using RenderOwl.Application.Rendering;

namespace RenderOwl.Infrastructure.Jobs;

/// <summary>
/// The Hangfire side of <c>GET /internal/queues</c>: enqueued jobs over all queues, jobs processing, and
/// Hangfire's own succeeded/failed counters for the current clock hour. Hangfire keeps no wait or run times.
/// </summary>
public sealed class HangfireQueueFigures(JobStorage storage, TimeProvider clock) : IJobQueueFigures
{
    public QueueFigure Read()
    {
        var monitor = storage.GetMonitoringApi();
        var depth = monitor.Queues().Sum(q => q.Length);
        var hour = clock.GetUtcNow().UtcDateTime;
        hour = new DateTime(hour.Year, hour.Month, hour.Day, hour.Hour, 0, 0, DateTimeKind.Utc);
        static int ThisHour(IDictionary<DateTime, long> counts, DateTime hour)
            => (int)counts.Where(c => c.Key.ToUniversalTime() >= hour).Sum(c => c.Value);
        return new QueueFigure("jobs", (int)depth, (int)monitor.ProcessingCount(),
            ThisHour(monitor.HourlyFailedJobs(), hour), ThisHour(monitor.HourlySucceededJobs(), hour), null, null);
    }
}
