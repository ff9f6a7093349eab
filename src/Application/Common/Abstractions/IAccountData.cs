using RenderOwl.Domain.Common;

namespace RenderOwl.Application.Common.Abstractions;

public enum ExportLayout
{
    /// <summary>A JSON array of the rows.</summary>
    Array,

    /// <summary>JSON Lines: one row per line.</summary>
    Lines,

    /// <summary>The single row as a JSON object.</summary>
    Object,
}

/// <summary>One file of an export's archive, its rows read as they are written; sections are written in <paramref name="Order"/>.</summary>
public sealed record ExportSection(int Order, string FileName, ExportLayout Layout, Func<CancellationToken, IAsyncEnumerable<object>> Rows);

/// <summary>A stored file copied into an export's archive under <paramref name="ArchivePath"/>.</summary>
public sealed record ExportFile(string ArchivePath, string StorageKey);

/// <summary>
/// A module's part of an account's export: its tables (each row in the shape the API shows it, so no secret, hash or
/// storage key) and its stored files. The export job takes every registered one.
/// </summary>
public interface IAccountExportSource
{
    IEnumerable<ExportSection> Sections(UserId owner);

    IAsyncEnumerable<ExportFile> Files(UserId owner, CancellationToken cancellationToken) => AsyncEnumerable.Empty<ExportFile>();
}

/// <summary>
/// Work a module runs on an account's behalf that must stop before the account is deleted (renders). <see cref="StopAsync"/>
/// runs in the deletion request's transaction (its changes are saved with it); the deletion job waits while
/// <see cref="StillRunningAsync"/> says so.
/// </summary>
public interface IAccountActivity
{
    Task StopAsync(UserId owner, DateTimeOffset now, CancellationToken cancellationToken);

    Task<bool> StillRunningAsync(UserId owner, CancellationToken cancellationToken);
}

/// <summary>Writes an export's archive as a stream (no part of it held whole in memory) and stores it under a key.</summary>
public interface IExportArchiveWriter
{
    Task<StoredObject> WriteAsync(IReadOnlyList<ExportSection> sections, IAsyncEnumerable<ExportFile> files, string storageKey, CancellationToken cancellationToken);
}

/// <summary>Background work of the account's data: building an export, deleting an account (Hangfire).</summary>
public interface IAccountDataJobs
{
    void BuildExport(ExportId id);
    void DeleteAccount(UserId id);
}

/// <summary>The account a deletion is about: its id and every principal name it appears under (<c>usr_…</c>, each <c>key_…</c>).</summary>
public sealed record AccountScope(UserId User, IReadOnlyList<string> Principals);

/// <summary>One table's part of deleting an account: deletes up to 1,000 of its rows per call, 0 when none is left.</summary>
public sealed record ErasureStep(int Order, string Name, Func<CancellationToken, Task<int>> DeleteChunk)
{
    /// <summary>The user row's step: after every other, run once (a single row).</summary>
    public const int LastOrder = 1000;
}

/// <summary>A module's (or layer's) steps of account deletion; the runner takes every registered one, in <see cref="ErasureStep.Order"/>.</summary>
public interface IAccountErasure
{
    IEnumerable<ErasureStep> Steps(AccountScope account);
}
