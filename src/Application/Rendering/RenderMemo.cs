using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Json;
using RenderOwl.Domain.Common;
using RenderOwl.Domain.Rendering;

namespace RenderOwl.Application.Rendering;

/// <summary>The version of the engine this installation renders with (ffmpeg's version line).</summary>
public interface IEngineVersion
{
    Task<string> GetAsync(CancellationToken cancellationToken);
}

/// <summary>
/// Memoization: a render whose manifest inputs — the resolved composition, the output settings, the hashes of the assets
/// and fonts it uses, the watermark — equal those of an earlier succeeded render of the same account, made by the same
/// engine version and with its output still stored, is finished from that output instead of rendered again.
/// </summary>
public sealed class RenderMemo(IAppDbContext db, IObjectStorage storage, IEngineVersion engine, TimeProvider clock)
{
    /// <summary>SHA-256 of the canonical JSON of the manifest's inputs.</summary>
    public static string Key(RenderDraft draft, bool watermark)
    {
        var inputs = new
        {
            composition = CanonicalJson.Sha256(draft.CompositionJson),
            output_settings = draft.Request.Output(),
            assets = draft.Assets.Values.OrderBy(a => a.Id).Select(a => new { id = a.Id, sha256 = a.Sha256 ?? a.StorageKey }),
            watermark,
        };
        return CanonicalJson.Sha256(JsonSerializer.Serialize(inputs, ApiJson.Options));
    }

    /// <summary>The newest reusable output for <paramref name="key"/>: succeeded, its files not expired, by this engine version; null if none.</summary>
    public async Task<RenderOutputInfo?> FindAsync(UserId owner, string key, CancellationToken cancellationToken)
    {
        var found = await db.Renders.AsNoTracking()
            .Where(r => r.OwnerId == owner && r.MemoKey == key && r.Status == RenderStatus.Succeeded && r.OutputExpiredAt == null)
            .OrderByDescending(r => r.FinishedAt).Select(r => r.Output).Take(5).ToListAsync(cancellationToken);
        if (found.Count == 0)
        {
            return null;
        }
        string version;
        try
        {
            version = await engine.GetAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return null; // no engine to compare with here: render it
        }
        return found.FirstOrDefault(o => o?.Engine?.FfmpegVersion == version);
    }

    /// <summary>
    /// The earlier output's files under new keys of the new render (hard links where the store can): retention or deletion
    /// of either render leaves the other's files alone. Returns the output to record and the keys made (to remove if the commit fails).
    /// </summary>
    public async Task<(RenderOutputInfo Output, IReadOnlyList<string> Keys)> CopyAsync(RenderOutputInfo earlier, CancellationToken cancellationToken)
    {
        var key = StorageKeys.New("renders", clock.GetUtcNow());
        var made = new List<string>();
        async Task<string?> CopyOne(string? source, string suffix)
        {
            if (source is null)
            {
                return null;
            }
            var target = key + suffix;
            await storage.CopyAsync(source, target, cancellationToken);
            made.Add(target);
            return target;
        }
        try
        {
            var output = earlier with
            {
                StorageKey = (await CopyOne(earlier.StorageKey, Path.GetExtension(earlier.StorageKey)))!,
                PosterKey = await CopyOne(earlier.PosterKey, "-poster.jpg"),
                ThumbnailsKey = await CopyOne(earlier.ThumbnailsKey, "-thumbnails.jpg"),
            };
            return (output, made);
        }
        catch
        {
            await RemoveAsync(made);
            throw;
        }
    }

    /// <summary>Copies made for renders whose transaction did not commit.</summary>
    public async Task RemoveAsync(IEnumerable<string> keys)
    {
        foreach (var key in keys)
        {
            try
            {
                await storage.DeleteAsync(key, CancellationToken.None);
            }
            catch (IOException)
            {
                // Left for the orphan sweep.
            }
        }
    }
}
