using Mediator;
using RenderOwl.Application.Common.Abstractions;

namespace RenderOwl.Application.Webhooks;

/// <summary><c>GET /v1/webhooks/signing-secret</c>: the secret that signs deliveries to renders' own <c>webhook_url</c>.</summary>
public sealed record GetSigningSecretCommand : ITransactionalCommand<SecretResponse>;

public sealed class GetSigningSecretHandler(IAppDbContext db, ICurrentUser current, IWebhookSecrets secrets, TimeProvider clock)
    : ICommandHandler<GetSigningSecretCommand, SecretResponse>
{
    public async ValueTask<SecretResponse> Handle(GetSigningSecretCommand command, CancellationToken cancellationToken)
        => new(secrets.Reveal((await AccountSecrets.GetOrCreateAsync(db, secrets, current.Id, clock.GetUtcNow(), cancellationToken)).Secret.Current));
}
