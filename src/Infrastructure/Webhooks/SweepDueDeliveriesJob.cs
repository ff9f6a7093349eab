using Hangfire;
using Mediator;
using RenderOwl.Application.Webhooks;

namespace RenderOwl.Infrastructure.Webhooks;

/// <summary>Every minute: deliveries whose attempt should have run and did not are started again.</summary>
public sealed class SweepDueDeliveriesJob(ISender sender)
{
    [AutomaticRetry(Attempts = 0)]
    public async Task<int> RunAsync() => await sender.Send(new SweepDueDeliveriesCommand());
}
