using Hangfire;
using Mediator;
using RenderOwl.Application.Operations;

namespace RenderOwl.Infrastructure.Jobs;

/// <summary>Daily at 03:00 UTC: every retention policy, in chunks (ApplyRetentionCommand).</summary>
public sealed class RetentionJob(ISender sender)
{
    [AutomaticRetry(Attempts = 3)]
    [DisableConcurrentExecution(3600)]
    [Queue("low")]
    public async Task RunAsync(CancellationToken cancellationToken) => await sender.Send(new ApplyRetentionCommand(), cancellationToken);
}
