using FluentValidation;
using Mediator;
using RenderOwl.Application.Common;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Domain.Common;
using RenderOwl.Domain.Webhooks;

namespace RenderOwl.Application.Webhooks;

/// <summary>PATCH: only what is given changes; a new URL is checked like a new endpoint's.</summary>
public sealed record UpdateWebhookCommand(WebhookId Id, Optional<string?> Url, Optional<IReadOnlyList<string>?> Events, Optional<string?> Description,
    Optional<bool?> Enabled) : ITransactionalCommand<WebhookResponse>;

public sealed class UpdateWebhookValidator : AbstractValidator<UpdateWebhookCommand>
{
    public UpdateWebhookValidator()
    {
        RuleFor(x => x.Url.Value).WebhookUrl().OverridePropertyName("url").When(x => x.Url.IsSet);
        RuleFor(x => x.Events.Value).NotNull().WithErrorCode("required").WebhookEvents().OverridePropertyName("events").When(x => x.Events.IsSet);
        RuleFor(x => x.Description.Value).MaximumLength(WebhookEndpoint.DescriptionMaxLength).OverridePropertyName("description").When(x => x.Description.IsSet);
        RuleFor(x => x.Enabled.Value).NotNull().WithErrorCode("required").OverridePropertyName("enabled").When(x => x.Enabled.IsSet);
    }
}

public sealed class UpdateWebhookHandler(IAppDbContext db, ICurrentUser current, IWebhookTargets targets, TimeProvider clock)
    : ICommandHandler<UpdateWebhookCommand, WebhookResponse>
{
    public async ValueTask<WebhookResponse> Handle(UpdateWebhookCommand command, CancellationToken cancellationToken)
    {
        var endpoint = await db.FindOwnedAsync(command.Id, current.Id, cancellationToken);
        if (command.Url.IsSet)
        {
            await targets.EnsureAllowedAsync(command.Url.Value!, "url", cancellationToken);
        }
        endpoint.Update(command.Url.IsSet ? command.Url.Value : null, command.Events.IsSet ? command.Events.Value : null,
            command.Description.Value, command.Description.IsSet, command.Enabled.IsSet ? command.Enabled.Value : null, clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        return WebhookResponse.From(endpoint);
    }
}
