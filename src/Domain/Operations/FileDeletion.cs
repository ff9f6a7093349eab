namespace RenderOwl.Domain.Operations;

/// <summary>
/// A stored file whose rows are gone, written in the same transaction that deleted them: the file is removed after
/// the commit, and a crash in between leaves this row for the next drain instead of an orphaned file.
/// </summary>
public sealed class FileDeletion
{
    private FileDeletion()
    {
        StorageKey = string.Empty;
    }

    public string StorageKey { get; private set; }
    public DateTimeOffset EnqueuedAt { get; private set; }

    public static FileDeletion For(string storageKey, DateTimeOffset now)
        => new() { StorageKey = storageKey, EnqueuedAt = Common.Clock.ToStoragePrecision(now) };
}
