using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RenderOwl.Domain.Rendering;

namespace RenderOwl.Infrastructure.Persistence.Configurations.Rendering;

internal sealed class RenderConfiguration : IEntityTypeConfiguration<Render>
{
    public void Configure(EntityTypeBuilder<Render> builder)
    {
        builder.ToTable("renders", "rendering");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Id).ValueGeneratedNever();
        builder.Property(r => r.Status).HasConversion<string>().HasMaxLength(12);
        builder.Property(r => r.Priority).HasConversion<short>();
        builder.Property(r => r.CompositionJson).HasColumnName("composition").HasColumnType("jsonb");
        builder.Property(r => r.MetadataJson).HasColumnName("metadata").HasColumnType("jsonb");
        builder.Property(r => r.WebhookUrl).HasMaxLength(2048);
        builder.Property(r => r.TraceParent).HasMaxLength(Render.MaxTraceParentLength);
        builder.Property(r => r.ErrorCode).HasMaxLength(64);
        builder.Property(r => r.ErrorMessage).HasMaxLength(1000);
        builder.Property(r => r.LeaseOwner).HasMaxLength(100);
        builder.Property(r => r.MemoKey).HasMaxLength(64);
        builder.Property(r => r.Counted).HasDefaultValue(true).HasSentinel(true);
        builder.OwnsOne(r => r.Settings, s =>
        {
            s.ToJson("output_settings");
            s.OwnsOne(x => x.Range);
            s.OwnsOne(x => x.Poster);
            s.OwnsOne(x => x.Thumbnails);
            s.OwnsOne(x => x.Loudness);
        });
        builder.OwnsOne(r => r.Output, o =>
        {
            o.ToJson("output");
            o.OwnsOne(x => x.Qc, q =>
            {
                q.OwnsMany(x => x.BlackSegments);
                q.OwnsMany(x => x.SilentSegments);
                q.OwnsMany(x => x.FrozenSegments);
            });
            o.OwnsOne(x => x.Engine);
        });
        builder.Property<uint>("xmin").IsRowVersion();
        // The claim (rendering.claim_renders): a skip scan over the accounts with queued work, then each account's
        // best render by priority and age, all read from a partial index that holds only queued renders.
        builder.HasIndex(r => new { r.OwnerId, r.Priority, r.QueuedAt, r.Id }).HasDatabaseName("ix_renders_claim")
            .IsDescending(false, true, false, false).HasFilter("status = 'Queued'");
        builder.HasIndex(r => r.OwnerId).HasDatabaseName("ix_renders_running_by_owner").HasFilter("status = 'Rendering'");
        // The queue's figures: open renders by status and priority, read from this index alone (QueryPlanTests).
        builder.HasIndex(r => new { r.Status, r.Priority }).HasDatabaseName("ix_renders_open").HasFilter("status IN ('Queued', 'Rendering')");
        builder.HasIndex(r => r.LeaseExpiresAt).HasDatabaseName("ix_renders_leases").HasFilter("status = 'Rendering'");
        // The last hour's figures (GET /internal/queues), and retention later: finished renders by finish time.
        builder.HasIndex(r => r.FinishedAt).HasDatabaseName("ix_renders_finished_at").HasFilter("finished_at IS NOT NULL");
        builder.HasIndex(r => new { r.ProjectId, r.CreatedAt, r.Id }).IsDescending(false, true, true);
        builder.HasIndex(r => new { r.OwnerId, r.CreatedAt });
        builder.HasIndex(r => r.AssetIds).HasMethod("gin");
        // Segment-parallel rendering: a split render's segments.
        builder.HasIndex(r => r.ParentId).HasDatabaseName("ix_renders_parent").HasFilter("parent_id IS NOT NULL");
        // Memoization: an account's succeeded renders by the hash of their manifest inputs.
        builder.HasIndex(r => new { r.OwnerId, r.MemoKey }).HasDatabaseName("ix_renders_memo").HasFilter("status = 'Succeeded' AND memo_key IS NOT NULL");
    }
}

internal sealed class RenderEventConfiguration : IEntityTypeConfiguration<RenderEvent>
{
    public void Configure(EntityTypeBuilder<RenderEvent> builder)
    {
        builder.ToTable("render_events", "rendering");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).UseIdentityAlwaysColumn();
        builder.Property(e => e.Status).HasMaxLength(12);
        builder.Property(e => e.Code).HasMaxLength(64);
        builder.Property(e => e.Message).HasMaxLength(1000);
        builder.HasIndex(e => new { e.RenderId, e.Id });
        builder.HasOne<Render>().WithMany().HasForeignKey(e => e.RenderId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>Dispatcher bookkeeping: when each account was last served, for fairness between accounts.</summary>
public sealed class DispatcherTurn
{
    public Guid OwnerId { get; set; }
    public DateTimeOffset LastClaimedAt { get; set; }
}

internal sealed class DispatcherTurnConfiguration : IEntityTypeConfiguration<DispatcherTurn>
{
    public void Configure(EntityTypeBuilder<DispatcherTurn> builder)
    {
        builder.ToTable("account_turns", "rendering");
        builder.HasKey(t => t.OwnerId);
    }
}
