using Mediator;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Domain.Common;

namespace RenderOwl.Application.Webhooks;

/// <summary>A new secret, shown once; the old one still signs (a second <c>v1,</c>) for 24 h.</summary>
public sealed record RotateWebhookSecretCommand(WebhookId Id) : ITransactionalCommand<SecretResponse>;

public sealed class RotateWebhookSecretHandler(IAppDbContext db, ICurrentUser current, IWebhookSecrets secrets, TimeProvider clock)
    : ICommandHandler<RotateWebhookSecretCommand, SecretResponse>
{
    public async ValueTask<SecretResponse> Handle(RotateWebhookSecretCommand command, CancellationToken cancellationToken)
    {
        var endpoint = await db.FindOwnedAsync(command.Id, current.Id, cancellationToken);
        var (plain, encrypted) = secrets.New();
        endpoint.RotateSecret(encrypted, clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        return new SecretResponse(plain);
    }
}
