using Mediator;
using RenderOwl.Application.Common.Abstractions;

namespace RenderOwl.Application.Webhooks;

/// <summary>A new account signing secret; the old one still signs for 24 h.</summary>
public sealed record RotateSigningSecretCommand : ITransactionalCommand<SecretResponse>;

public sealed class RotateSigningSecretHandler(IAppDbContext db, ICurrentUser current, IWebhookSecrets secrets, TimeProvider clock)
    : ICommandHandler<RotateSigningSecretCommand, SecretResponse>
{
    public async ValueTask<SecretResponse> Handle(RotateSigningSecretCommand command, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var account = await AccountSecrets.GetOrCreateAsync(db, secrets, current.Id, now, cancellationToken);
        var (plain, encrypted) = secrets.New();
        account.Rotate(encrypted, now);
        await db.SaveChangesAsync(cancellationToken);
        return new SecretResponse(plain);
    }
}
