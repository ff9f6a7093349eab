using System.Diagnostics;
using Hangfire.Server;
using RenderOwl.Infrastructure.Observability;

namespace RenderOwl.Infrastructure.Jobs;

/// <summary>A span per Hangfire job run (<c>hangfire.job Type.Method</c>), current while the job runs, so its commands, Redis calls and HTTP requests nest under it.</summary>
public sealed class HangfireTracingFilter : IServerFilter
{
    private const string Key = "renderowl.activity";

    public void OnPerforming(PerformingContext context)
    {
        var job = context.BackgroundJob.Job;
        Activity.Current = null; // a job is a trace of its own, whatever the worker thread was started under
        var activity = RenderOwlTracing.Source.StartActivity($"hangfire.job {job.Type.Name}.{job.Method.Name}", ActivityKind.Internal);
        if (activity is null)
        {
            return;
        }
        activity.SetTag("hangfire.job.id", context.BackgroundJob.Id);
        activity.SetTag("hangfire.job.type", job.Type.FullName);
        context.Items[Key] = activity;
    }

    public void OnPerformed(PerformedContext context)
    {
        if (context.Items.TryGetValue(Key, out var value) && value is Activity activity)
        {
            if (context.Exception is not null && !context.ExceptionHandled)
            {
                RenderOwlTracing.Fail(activity, context.Exception.GetType().Name);
            }
            activity.Stop();
        }
    }
}
