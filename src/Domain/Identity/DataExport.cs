using RenderOwl.Domain.Common;

namespace RenderOwl.Domain.Identity;

public enum ExportStatus
{
    Queued,
    Running,
    Succeeded,
    Failed,
}

/// <summary>
/// A copy of everything an account holds, as one zip built by a background job and kept for
/// <see cref="Lifetime"/>; the file is deleted with the row.
/// </summary>
public sealed class DataExport
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(7);

    private DataExport()
    {
    }

    public ExportId Id { get; private set; }
    public UserId UserId { get; private set; }
    public ExportStatus Status { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? StartedAt { get; private set; }
    public DateTimeOffset? FinishedAt { get; private set; }
    public long? SizeBytes { get; private set; }
    public string? Sha256 { get; private set; }
    public string? StorageKey { get; private set; }
    public string? Error { get; private set; }

    public bool IsActive => Status is ExportStatus.Queued or ExportStatus.Running;

    public static DataExport Request(UserId userId, DateTimeOffset now)
    {
        now = Clock.ToStoragePrecision(now);
        return new DataExport { Id = TypedId.New<ExportId>(now), UserId = userId, Status = ExportStatus.Queued, CreatedAt = now };
    }

    public void Start(DateTimeOffset now)
    {
        Status = ExportStatus.Running;
        StartedAt = Clock.ToStoragePrecision(now);
    }

    public void Succeed(string storageKey, long sizeBytes, string sha256, DateTimeOffset now)
    {
        Status = ExportStatus.Succeeded;
        StorageKey = storageKey;
        SizeBytes = sizeBytes;
        Sha256 = sha256;
        FinishedAt = Clock.ToStoragePrecision(now);
    }

    public void Fail(string error, DateTimeOffset now)
    {
        Status = ExportStatus.Failed;
        Error = error.Length > 500 ? error[..500] : error;
        FinishedAt = Clock.ToStoragePrecision(now);
    }
}
