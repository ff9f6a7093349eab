using Mediator;
using Microsoft.EntityFrameworkCore;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Domain.Webhooks;

namespace RenderOwl.Application.Webhooks;

/// <summary>
/// What one attempt sends: the URL, the body, the signed headers; and the trace it joins (that of the request that
/// submitted the delivery's render; null: a trace of its own).
/// </summary>
public sealed record DeliveryAttempt(Guid DeliveryId, int Attempt, string Url, string Body, IReadOnlyDictionary<string, string> Headers, string? TraceParent = null);

/// <summary>
/// Starts an attempt of a due delivery under its row lock (so two workers never send one attempt twice): counted,
/// held for a lease, signed now with every secret that signs now. Null when it is not due (already sent, held by
/// another attempt, or its endpoint is gone — then it is failed).
/// </summary>
public sealed record BeginDeliveryAttemptCommand(Guid DeliveryId) : ITransactionalCommand<DeliveryAttempt?>;

public sealed class BeginDeliveryAttemptHandler(IAppDbContext db, IDeliveryLocks locks, IWebhookSecrets secrets, IRenderTraces traces, TimeProvider clock)
    : ICommandHandler<BeginDeliveryAttemptCommand, DeliveryAttempt?>
{
    public async ValueTask<DeliveryAttempt?> Handle(BeginDeliveryAttemptCommand command, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var delivery = await locks.LockAsync(command.DeliveryId, cancellationToken);
        if (delivery is null || !delivery.IsDue(now))
        {
            return null;
        }
        WebhookSecret secret;
        if (delivery.EndpointId is { } endpointId)
        {
            var endpoint = await db.WebhookEndpoints.AsNoTracking().FirstOrDefaultAsync(e => e.Id == endpointId, cancellationToken);
            if (endpoint is not { Enabled: true })
            {
                delivery.Fail(null, endpoint is null ? "The endpoint was deleted." : "The endpoint is disabled.", 0, null);
                await db.SaveChangesAsync(cancellationToken);
                return null;
            }
            secret = endpoint.Secret;
        }
        else
        {
            secret = (await AccountSecrets.GetOrCreateAsync(db, secrets, delivery.OwnerId, now, cancellationToken)).Secret;
        }
        delivery.BeginAttempt(now);
        await db.SaveChangesAsync(cancellationToken);
        var headers = WebhookSigner.Headers(delivery.EventId.ToString(), delivery.Id.ToString(), now, delivery.PayloadJson,
            secret.Signing(now).Select(secrets.Reveal));
        var traceParent = delivery.RenderId is { } renderId ? await traces.TraceParentAsync(renderId, cancellationToken) : null;
        return new DeliveryAttempt(delivery.Id.Value, delivery.Attempts, delivery.Url, delivery.PayloadJson, headers, traceParent);
    }
}
