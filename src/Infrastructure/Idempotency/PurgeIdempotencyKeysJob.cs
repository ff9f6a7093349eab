namespace RenderOwl.Infrastructure.Idempotency;

/// <summary>The recurring Hangfire job, hourly: a thin shell that sends the command in the job's own scope.</summary>
public sealed class PurgeIdempotencyKeysJob(Mediator.ISender sender)
{
    public async Task<int> RunAsync() => await sender.Send(new Application.Operations.PurgeIdempotencyKeysCommand());
}
