using System.IO.Compression;
using System.Text.Json;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Json;

namespace RenderOwl.Infrastructure.Exports;

/// <summary>
/// Writes an export as a zip straight to a scratch file on the storage volume, one entry at a time: each table's rows
/// are serialised as they are read, each stored file is copied through a small buffer (media stored, not deflated:
/// it is compressed already). Memory stays that of one row and one buffer whatever the account's size. The scratch
/// file becomes the object at the end (a rename), so a reader never sees half an archive.
/// </summary>
public sealed class ZipExportWriter(IObjectStorage storage) : IExportArchiveWriter
{
    private static readonly byte[] NewLine = "\n"u8.ToArray();

    public async Task<StoredObject> WriteAsync(IReadOnlyList<ExportSection> sections, IAsyncEnumerable<ExportFile> files, string storageKey, CancellationToken cancellationToken)
    {
        var scratch = storage.NewScratchPath(".zip");
        try
        {
            await using (var file = new FileStream(scratch, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.Asynchronous))
            await using (var zip = await ZipArchive.CreateAsync(file, ZipArchiveMode.Create, leaveOpen: false, entryNameEncoding: null, cancellationToken))
            {
                foreach (var section in sections)
                {
                    await WriteSectionAsync(zip, section, cancellationToken);
                }
                await foreach (var stored in files.WithCancellation(cancellationToken))
                {
                    var entry = zip.CreateEntry(stored.ArchivePath, CompressionLevel.NoCompression);
                    await using var target = await entry.OpenAsync(cancellationToken);
                    await using var source = new FileStream(await storage.LocalPathAsync(stored.StorageKey, cancellationToken), FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous | FileOptions.SequentialScan);
                    await source.CopyToAsync(target, 81920, cancellationToken);
                }
            }
            return await storage.CommitFileAsync(scratch, storageKey, cancellationToken);
        }
        finally
        {
            File.Delete(scratch);
        }
    }

    private static async Task WriteSectionAsync(ZipArchive zip, ExportSection section, CancellationToken cancellationToken)
    {
        var entry = zip.CreateEntry(section.FileName, CompressionLevel.Optimal);
        await using var stream = await entry.OpenAsync(cancellationToken);
        await using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = false, SkipValidation = section.Layout != ExportLayout.Array });
        if (section.Layout == ExportLayout.Array)
        {
            json.WriteStartArray();
        }
        await foreach (var row in section.Rows(cancellationToken).WithCancellation(cancellationToken))
        {
            JsonSerializer.Serialize(json, row, row.GetType(), ApiJson.Options);
            if (section.Layout == ExportLayout.Lines)
            {
                await json.FlushAsync(cancellationToken);
                await stream.WriteAsync(NewLine, cancellationToken);
                json.Reset(stream);
            }
            else if (json.BytesPending > 64 * 1024)
            {
                await json.FlushAsync(cancellationToken);
            }
        }
        if (section.Layout == ExportLayout.Array)
        {
            json.WriteEndArray();
        }
        await json.FlushAsync(cancellationToken);
    }
}
