using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace RenderOwl.Infrastructure.Idempotency;

/// <summary>A stored first response for (account, Idempotency-Key).</summary>
public sealed class IdempotencyRecord
{
    public string Scope { get; set; } = "";
    public string Key { get; set; } = "";
    public string RequestHash { get; set; } = "";
    public bool Completed { get; set; }
    public int? ResponseStatus { get; set; }
    public string? ResponseHeaders { get; set; }
    public byte[]? ResponseBody { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
}

internal sealed class IdempotencyRecordConfiguration : IEntityTypeConfiguration<IdempotencyRecord>
{
    public void Configure(EntityTypeBuilder<IdempotencyRecord> builder)
    {
        builder.ToTable("idempotency_keys", "operations");
        builder.HasKey(r => new { r.Scope, r.Key }); // the unique index that decides who runs a request
        builder.Property(r => r.Scope).HasMaxLength(64);
        builder.Property(r => r.Key).HasMaxLength(255);
        builder.Property(r => r.RequestHash).HasMaxLength(64);
        builder.Property(r => r.ResponseHeaders).HasColumnType("jsonb");
        builder.HasIndex(r => r.ExpiresAt);
    }
}
