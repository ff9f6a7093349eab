using FluentValidation;
using RenderOwl.Domain.Webhooks;

namespace RenderOwl.Application.Webhooks;

internal static class WebhookRules
{
    public static IRuleBuilderOptions<T, string?> WebhookUrl<T>(this IRuleBuilder<T, string?> rule)
        => rule.Must(u => u is not null && u.Length <= WebhookEndpoint.UrlMaxLength && Uri.TryCreate(u, UriKind.Absolute, out var uri)
                && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp) && string.IsNullOrEmpty(uri.UserInfo))
            .WithErrorCode("invalid_url").WithMessage("'url' must be an absolute http(s) URL of at most 2048 characters, without credentials.");

    public static IRuleBuilderOptions<T, IReadOnlyList<string>?> WebhookEvents<T>(this IRuleBuilder<T, IReadOnlyList<string>?> rule)
        => rule.Must(e => e is null || (e.Count > 0 && e.All(Domain.Webhooks.WebhookEvents.Subscribable.Contains)))
            .WithErrorCode("invalid_events").WithMessage($"'events' lists one or more of: {string.Join(", ", Domain.Webhooks.WebhookEvents.Subscribable)}.");
}
