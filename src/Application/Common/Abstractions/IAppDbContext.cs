using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Infrastructure;
using RenderOwl.Domain.Assets;
using RenderOwl.Domain.Identity;
using RenderOwl.Domain.Notifications;
using RenderOwl.Domain.Operations;
using RenderOwl.Domain.Projects;
using RenderOwl.Domain.Rendering;
using RenderOwl.Domain.Templates;
using RenderOwl.Domain.Webhooks;

namespace RenderOwl.Application.Common.Abstractions;

/// <summary>The unit of work on the primary database. No generic repository on top: handlers query DbSets directly.</summary>
public interface IAppDbContext
{
    DbSet<User> Users { get; }
    DbSet<RefreshToken> RefreshTokens { get; }
    DbSet<ApiKey> ApiKeys { get; }
    DbSet<Project> Projects { get; }
    DbSet<Asset> Assets { get; }
    DbSet<Template> Templates { get; }
    DbSet<Render> Renders { get; }
    DbSet<RenderEvent> RenderEvents { get; }
    DbSet<Notification> Notifications { get; }
    DbSet<SentEmail> SentEmails { get; }
    DbSet<OutboxMessage> OutboxMessages { get; }
    DbSet<WebhookEndpoint> WebhookEndpoints { get; }
    DbSet<WebhookDelivery> WebhookDeliveries { get; }
    DbSet<AccountSigningSecret> SigningSecrets { get; }
    DbSet<RateLimitViolation> RateLimitViolations { get; }
    DbSet<ErrorLog> ErrorLogs { get; }
    DbSet<Domain.Analytics.AnalyticsEvent> AnalyticsEvents { get; }
    DbSet<DataExport> Exports { get; }
    DbSet<FileDeletion> FileDeletions { get; }
    DatabaseFacade Database { get; }
    ChangeTracker ChangeTracker { get; }
    Task<int> SaveChangesAsync(CancellationToken cancellationToken = default);
}
