using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Domain.Common;
using RenderOwl.Domain.Identity;

namespace RenderOwl.Application.Identity.Exports;

/// <summary>
/// Builds a queued export (the export job): the archive is streamed to a scratch file and committed under a new key,
/// then the row says succeeded. A failure marks it failed (the client asks for a new one); a run that finds it running
/// (a crashed attempt) builds it again; one that finds it finished or gone does nothing.
/// </summary>
public sealed record BuildExportCommand(ExportId Id) : ICommand<ExportStatus?>;

public sealed class BuildExportHandler(IAppDbContext db, IEnumerable<IAccountExportSource> sources, IExportArchiveWriter writer, TimeProvider clock, ILogger<BuildExportHandler> logger)
    : ICommandHandler<BuildExportCommand, ExportStatus?>
{
    public async ValueTask<ExportStatus?> Handle(BuildExportCommand command, CancellationToken cancellationToken)
    {
        var export = await db.Exports.FirstOrDefaultAsync(e => e.Id == command.Id, cancellationToken);
        if (export is null || !export.IsActive)
        {
            return export?.Status;
        }
        var owner = export.UserId;
        if (await db.Users.AnyAsync(u => u.Id == owner && u.DeletionRequestedAt != null, cancellationToken))
        {
            export.Fail("The account is being deleted.", clock.GetUtcNow());
            await db.SaveChangesAsync(cancellationToken);
            return export.Status;
        }
        export.Start(clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        var started = clock.GetTimestamp();
        try
        {
            var key = StorageKeys.New("exports", clock.GetUtcNow());
            // Files in the order of their module's first section (assets before render outputs).
            var parts = sources.Select(s => (Sections: s.Sections(owner).ToList(), Source: s)).Where(p => p.Sections.Count > 0).OrderBy(p => p.Sections.Min(x => x.Order)).ToList();
            var sections = parts.SelectMany(p => p.Sections).OrderBy(s => s.Order).ToList();
            var files = parts.Select(p => p.Source.Files(owner, cancellationToken)).ToArray();
            var stored = await writer.WriteAsync(sections, Concat(files), key, cancellationToken);
            export.Succeed(stored.Key, stored.SizeBytes, stored.Sha256, clock.GetUtcNow());
            logger.LogInformation("Export {ExportId} of {UserId} built: {Bytes} bytes in {Elapsed} ms",
                export.Id, owner, stored.SizeBytes, (long)clock.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Export {ExportId} of {UserId} failed", export.Id, owner);
            export.Fail(ex.GetType().Name, clock.GetUtcNow());
        }
        await db.SaveChangesAsync(CancellationToken.None);
        return export.Status;
    }

    private static async IAsyncEnumerable<ExportFile> Concat(IAsyncEnumerable<ExportFile>[] parts)
    {
        foreach (var part in parts)
        {
            await foreach (var file in part)
            {
                yield return file;
            }
        }
    }
}
