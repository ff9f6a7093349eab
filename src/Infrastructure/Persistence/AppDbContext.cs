using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Domain.Assets;
using RenderOwl.Domain.Common;
using RenderOwl.Domain.Identity;
using RenderOwl.Domain.Notifications;
using RenderOwl.Domain.Operations;
using RenderOwl.Domain.Projects;
using RenderOwl.Domain.Rendering;
using RenderOwl.Domain.Templates;
using RenderOwl.Domain.Webhooks;

namespace RenderOwl.Infrastructure.Persistence;

/// <summary>
/// The database as EF Core sees it. Contexts are pooled (<see cref="PooledContexts"/>): one constructor taking only the
/// options, and what belongs to a request (its cache invalidation) is handed over by <see cref="Lease"/>, never kept.
/// </summary>
public sealed class AppDbContext(DbContextOptions<AppDbContext> options)
    : DbContext(options), IAppDbContext, Microsoft.AspNetCore.DataProtection.EntityFrameworkCore.IDataProtectionKeyContext
{
    /// <summary>The request's cache invalidation, for the (shared) interceptor; null for a context made by hand (design time, migrations).</summary>
    internal Application.Common.Caching.CacheInvalidation? CacheInvalidation { get; private set; }

    /// <summary>Ties a context taken from the pool to the scope that took it: its cache invalidation, nothing left from the last lease.</summary>
    internal AppDbContext Lease(Application.Common.Caching.CacheInvalidation? cacheInvalidation)
    {
        CacheInvalidation = cacheInvalidation;
        PendingCacheTags = null;
        return this;
    }

    /// <summary>Tags of the cached rows this unit of work changed, collected before its save and handed over after it.</summary>
    internal List<string>? PendingCacheTags { get; set; }

    /// <summary>ASP.NET Core Data Protection's key ring, encrypted at rest (DataProtectionSetup).</summary>
    public DbSet<Microsoft.AspNetCore.DataProtection.EntityFrameworkCore.DataProtectionKey> DataProtectionKeys => Set<Microsoft.AspNetCore.DataProtection.EntityFrameworkCore.DataProtectionKey>();

    public DbSet<User> Users => Set<User>();
    public DbSet<RefreshToken> RefreshTokens => Set<RefreshToken>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<Project> Projects => Set<Project>();
    public DbSet<Asset> Assets => Set<Asset>();
    public DbSet<Template> Templates => Set<Template>();
    public DbSet<Render> Renders => Set<Render>();
    public DbSet<RenderEvent> RenderEvents => Set<RenderEvent>();
    public DbSet<Notification> Notifications => Set<Notification>();
    public DbSet<SentEmail> SentEmails => Set<SentEmail>();
    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();
    public DbSet<WebhookEndpoint> WebhookEndpoints => Set<WebhookEndpoint>();
    public DbSet<WebhookDelivery> WebhookDeliveries => Set<WebhookDelivery>();
    public DbSet<AccountSigningSecret> SigningSecrets => Set<AccountSigningSecret>();
    public DbSet<RateLimitViolation> RateLimitViolations => Set<RateLimitViolation>();
    public DbSet<Domain.Analytics.AnalyticsEvent> AnalyticsEvents => Set<Domain.Analytics.AnalyticsEvent>();
    public DbSet<DataExport> Exports => Set<DataExport>();
    public DbSet<FileDeletion> FileDeletions => Set<FileDeletion>();
    public DbSet<ErrorLog> ErrorLogs => Set<ErrorLog>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
        => modelBuilder.ApplyConfigurationsFromAssembly(typeof(AppDbContext).Assembly);

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<UserId>().HaveConversion<TypedIdConverter<UserId>>();
        configurationBuilder.Properties<ProjectId>().HaveConversion<TypedIdConverter<ProjectId>>();
        configurationBuilder.Properties<ApiKeyId>().HaveConversion<TypedIdConverter<ApiKeyId>>();
        configurationBuilder.Properties<AssetId>().HaveConversion<TypedIdConverter<AssetId>>();
        configurationBuilder.Properties<TemplateId>().HaveConversion<TypedIdConverter<TemplateId>>();
        configurationBuilder.Properties<EventId>().HaveConversion<TypedIdConverter<EventId>>();
        configurationBuilder.Properties<NotificationId>().HaveConversion<TypedIdConverter<NotificationId>>();
        configurationBuilder.Properties<RenderId>().HaveConversion<TypedIdConverter<RenderId>>();
        configurationBuilder.Properties<WebhookId>().HaveConversion<TypedIdConverter<WebhookId>>();
        configurationBuilder.Properties<DeliveryId>().HaveConversion<TypedIdConverter<DeliveryId>>();
        configurationBuilder.Properties<ExportId>().HaveConversion<TypedIdConverter<ExportId>>();
        configurationBuilder.Properties<ErrorLogId>().HaveConversion<TypedIdConverter<ErrorLogId>>();
        configurationBuilder.Properties<ApiKeyMode>().HaveConversion<string>().HaveMaxLength(8);
        configurationBuilder.Properties<Tier>().HaveConversion<string>().HaveMaxLength(16);
        configurationBuilder.Properties<Role>().HaveConversion<string>().HaveMaxLength(16);
    }

    internal sealed class TypedIdConverter<T>() : ValueConverter<T, Guid>(id => id.Value, guid => Create(guid))
        where T : struct, ITypedId<T>
    {
        // Expression trees cannot call static abstract members directly.
        private static T Create(Guid value) => T.From(value);
    }
}
