using FluentValidation;
using Microsoft.Extensions.DependencyInjection;
using RenderOwl.Application.Common.Pagination;
using RenderOwl.Application.Common.Validation;

namespace RenderOwl.Application;

public static class DependencyInjection
{
    public static IServiceCollection AddApplication(this IServiceCollection services)
    {
        ValidationNaming.Configure();
        // The composition's validators (of the composition and its parts: layers, styles, keyframes …) are built by
        // CompositionParser with what they depend on (the composition's duration, the layer's type); they are not services.
        services.AddValidatorsFromAssembly(typeof(DependencyInjection).Assembly, ServiceLifetime.Scoped,
            filter: r => r.InterfaceType.GenericTypeArguments[0].Namespace != typeof(Domain.Rendering.Composition).Namespace,
            includeInternalTypes: true);
        services.AddScoped<Paginator>();
        services.AddScoped<Common.Abstractions.AfterCommit>();
        services.AddScoped<Identity.RecentAuthentication>();
        services.AddScoped<Identity.Credentials>();
        services.AddScoped<Assets.AssetIngest>();
        services.AddScoped<Common.Abstractions.IProjectAccess, Projects.ProjectAccess>();
        services.AddSingleton<Common.Abstractions.ICompositionValidator, Rendering.CompositionParser>();
        services.AddScoped<Rendering.RenderDrafts>();
        services.AddSingleton<Rendering.Sharing.ShareLinks>();
        services.AddSingleton<Common.Abstractions.IRenderEstimator, Rendering.RenderEstimator>();
        services.AddScoped<Rendering.RenderIntake>();
        services.AddScoped<Rendering.RenderCompletion>();
        services.AddScoped<Rendering.RenderMemo>();
        services.AddScoped<Rendering.SegmentOutcomes>();
        services.AddScoped<Common.Abstractions.IAssetUsage, Rendering.AssetUsage>();
        services.AddScoped<Common.Abstractions.IRenderUsage, Rendering.RenderUsageReader>();
        services.AddScoped<Common.Abstractions.IRenderOwnership, Rendering.RenderOwnership>();
        services.AddScoped<Common.Abstractions.IAccountNotices, Notifications.AccountNotices>();
        services.AddScoped<Common.Abstractions.IAccountContacts, Identity.AccountContacts>();
        services.AddScoped<Common.Abstractions.IRenderFinishedHandler, Notifications.RenderFinishedEmail>();
        services.AddScoped<Common.Abstractions.IAssetLookup, Assets.AssetLookup>();
        services.AddScoped<Common.Abstractions.IAssetSources, Assets.ImportSource>();
        services.AddScoped<Common.Abstractions.IRenderTraces, Rendering.RenderTraces>();
        services.AddScoped<Templates.TemplateResolver>();
        services.AddScoped<Common.Abstractions.ITemplateResolver>(sp => sp.GetRequiredService<Templates.TemplateResolver>());
        services.AddScoped<Common.Abstractions.IRenderFinishedHandler, Notifications.RenderFinishedNotification>();
        services.AddScoped<Common.Abstractions.IRenderFinishedHandler, Webhooks.RenderFinishedOutbox>();
        services.AddScoped<Common.Abstractions.IRenderFinishedHandler, Analytics.RenderFinishedAnalytics>();
        services.AddScoped<Common.Abstractions.IAnalyticsRecorder, Analytics.AnalyticsRecorder>();
        services.AddScoped<Common.Abstractions.IRetentionPolicy, Identity.RefreshTokenRetention>();
        services.AddScoped<Common.Abstractions.IRetentionPolicy, Notifications.NotificationRetention>();
        services.AddScoped<Common.Abstractions.IRetentionPolicy, Notifications.SentEmailRetention>();
        services.AddScoped<Common.Abstractions.IRetentionPolicy, Rendering.RenderOutputRetention>();
        services.AddScoped<Common.Abstractions.IRetentionPolicy, Rendering.FinishedRenderRetention>();
        services.AddScoped<Common.Abstractions.IRetentionPolicy, Operations.RateLimitViolationRetention>();
        services.AddScoped<Common.Abstractions.IRetentionPolicy, Webhooks.DeliveryRetention>();
        services.AddScoped<Common.Abstractions.IRetentionPolicy, Webhooks.OutboxRetention>();
        services.AddScoped<Common.Abstractions.IRetentionPolicy, Identity.Exports.ExportRetention>();
        services.AddScoped<Common.Abstractions.IRetentionPolicy, Common.Storage.FileDeletionRetention>();
        services.AddScoped<Common.Abstractions.IRetentionPolicy, Operations.Monitoring.QueueMetricsRetention>();
        services.AddScoped<Common.Abstractions.IRetentionPolicy, Operations.Monitoring.ApiMetricsRetention>();
        services.AddScoped<Common.Abstractions.IRetentionPolicy, Operations.Monitoring.CacheMetricsRetention>();
        services.AddScoped<Common.Abstractions.IRetentionPolicy, Operations.Monitoring.ResolvedErrorRetention>();
        services.AddScoped<Common.Storage.FileDeletions>();
        AddAccountData<Identity.Exports.IdentityAccountData>(services);
        AddAccountData<Projects.ProjectAccountData>(services);
        AddAccountData<Assets.AssetAccountData>(services);
        AddAccountData<Templates.TemplateAccountData>(services);
        AddAccountData<Rendering.RenderAccountData>(services);
        services.AddScoped<Common.Abstractions.IAccountActivity>(sp => sp.GetRequiredService<Rendering.RenderAccountData>());
        AddAccountData<Webhooks.WebhookAccountData>(services);
        AddAccountData<Notifications.NotificationAccountData>(services);
        AddAccountData<Analytics.AnalyticsAccountData>(services);
        services.AddScoped<Common.Abstractions.IAccountErasure, Operations.OperationsAccountErasure>();
        services.AddSingleton<Common.Caching.AppCache>();
        services.AddScoped<Common.Caching.CacheInvalidation>();
        services.AddSingleton<Identity.AccountReads>();
        services.AddSingleton<Common.Abstractions.ICacheWarmer>(sp => sp.GetRequiredService<Identity.AccountReads>());
        services.AddSingleton<Identity.ApiKeys.ApiKeyReads>();
        services.AddSingleton<Common.Abstractions.ICacheWarmer>(sp => sp.GetRequiredService<Identity.ApiKeys.ApiKeyReads>());
        services.AddSingleton<Projects.ProjectReads>();
        services.AddSingleton<Common.Abstractions.ICacheWarmer>(sp => sp.GetRequiredService<Projects.ProjectReads>());
        services.AddSingleton<Templates.TemplateReads>();
        services.AddSingleton<Common.Abstractions.ICacheWarmer>(sp => sp.GetRequiredService<Templates.TemplateReads>());
        services.AddSingleton<Assets.AssetReads>();
        services.AddSingleton<Common.Abstractions.ICacheWarmer>(sp => sp.GetRequiredService<Assets.AssetReads>());
        services.AddSingleton<Rendering.RenderReads>();
        services.AddSingleton<Common.Abstractions.ICacheWarmer>(sp => sp.GetRequiredService<Rendering.RenderReads>());
        services.AddSingleton(TimeProvider.System);
        return services;
    }

    /// <summary>A module's account data: one scoped instance serving both the export and the deletion job.</summary>
    private static void AddAccountData<T>(IServiceCollection services)
        where T : class, Common.Abstractions.IAccountExportSource, Common.Abstractions.IAccountErasure
    {
        services.AddScoped<T>();
        services.AddScoped<Common.Abstractions.IAccountExportSource>(sp => sp.GetRequiredService<T>());
        services.AddScoped<Common.Abstractions.IAccountErasure>(sp => sp.GetRequiredService<T>());
    }
}
