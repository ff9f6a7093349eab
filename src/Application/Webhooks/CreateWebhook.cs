using FluentValidation;
using Mediator;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Domain.Common;
using RenderOwl.Domain.Webhooks;

namespace RenderOwl.Application.Webhooks;

/// <summary>A project's endpoint for its render events; the answer holds the signing secret, shown this once.</summary>
public sealed record CreateWebhookCommand(ProjectId ProjectId, string? Url, IReadOnlyList<string>? Events, string? Description)
    : ITransactionalCommand<CreatedWebhookResponse>;

public sealed class CreateWebhookValidator : AbstractValidator<CreateWebhookCommand>
{
    public CreateWebhookValidator()
    {
        RuleFor(x => x.Url).WebhookUrl();
        RuleFor(x => x.Events).WebhookEvents();
        RuleFor(x => x.Description).MaximumLength(WebhookEndpoint.DescriptionMaxLength);
    }
}

public sealed class CreateWebhookHandler(IAppDbContext db, ICurrentUser current, IProjectAccess projects, IWebhookTargets targets, IWebhookSecrets secrets,
    TimeProvider clock) : ICommandHandler<CreateWebhookCommand, CreatedWebhookResponse>
{
    public async ValueTask<CreatedWebhookResponse> Handle(CreateWebhookCommand command, CancellationToken cancellationToken)
    {
        await projects.EnsureOwnedAsync(command.ProjectId, current.Id, cancellationToken);
        await targets.EnsureAllowedAsync(command.Url!, "url", cancellationToken); // 400 url-not-allowed
        var (plain, encrypted) = secrets.New();
        var endpoint = WebhookEndpoint.Create(command.ProjectId, current.Id, command.Url!, command.Events, command.Description, encrypted, clock.GetUtcNow());
        db.WebhookEndpoints.Add(endpoint);
        await db.SaveChangesAsync(cancellationToken);
        return new CreatedWebhookResponse(endpoint.Id, endpoint.ProjectId, endpoint.Url, endpoint.Events, endpoint.Description, endpoint.Enabled, plain,
            endpoint.CreatedAt, endpoint.UpdatedAt);
    }
}
