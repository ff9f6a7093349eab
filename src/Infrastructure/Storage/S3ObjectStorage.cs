using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Logging;
using RenderOwl.Application.Common.Abstractions;

namespace RenderOwl.Infrastructure.Storage;

/// <summary>
/// Objects in an S3-compatible bucket, shared by every instance, with a bounded read-through cache on this instance's
/// disk (a <see cref="LocalObjectStorage"/>): ffmpeg, ffprobe and SkiaSharp read files, and downloads are served from
/// the cached file with the same ranges and ETags as the local store (ADR 24). Writes land in the cache first (hashed
/// and size-checked as they stream), then go to the bucket — in parts, four at a time, from
/// <c>MultipartThresholdBytes</c> up — before the call returns, so an object another instance reads is always whole.
/// Copies are server-side; deletes remove the object and the cached file.
/// </summary>
public sealed class S3ObjectStorage(IAmazonS3 s3, S3StorageOptions options, LocalObjectStorage cache, ILogger<S3ObjectStorage> logger) : IObjectStorage, IDisposable
{
    private readonly SemaphoreSlim _trimming = new(1, 1);
    private long _cachedBytes = -1; // an estimate: the folder is scanned only when it passes the bound (-1: not scanned yet)

    public async Task<StoredObject> WriteAsync(string key, Stream content, long maxBytes, CancellationToken cancellationToken)
    {
        var stored = await cache.WriteAsync(StorageKeys.Check(key), content, maxBytes, cancellationToken);
        await UploadOrForgetAsync(stored, cancellationToken);
        return stored;
    }

    public async Task<StoredObject> CommitFileAsync(string localFile, string key, CancellationToken cancellationToken)
    {
        var stored = await cache.CommitFileAsync(localFile, StorageKeys.Check(key), cancellationToken);
        await UploadOrForgetAsync(stored, cancellationToken);
        return stored;
    }

    public async Task CopyAsync(string sourceKey, string key, CancellationToken cancellationToken)
    {
        await s3.CopyObjectAsync(new CopyObjectRequest
        {
            SourceBucket = options.Bucket,
            SourceKey = StorageKeys.Check(sourceKey),
            DestinationBucket = options.Bucket,
            DestinationKey = StorageKeys.Check(key),
        }, cancellationToken);
        if (File.Exists(cache.LocalPath(sourceKey)))
        {
            await cache.CopyAsync(sourceKey, key, cancellationToken); // a hard link: no bytes on the local disk either
        }
    }

    public string NewScratchPath(string extension) => cache.NewScratchPath(extension);

    public async ValueTask<string> LocalPathAsync(string key, CancellationToken cancellationToken)
    {
        var path = cache.LocalPath(StorageKeys.Check(key));
        if (File.Exists(path))
        {
            File.SetLastWriteTimeUtc(path, DateTime.UtcNow); // recently used: the last to be dropped from the cache
            return path;
        }
        var scratch = cache.NewScratchPath(".download");
        try
        {
            using (var response = await s3.GetObjectAsync(options.Bucket, key, cancellationToken))
            await using (var file = new FileStream(scratch, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous))
            {
                await response.ResponseStream.CopyToAsync(file, 81920, cancellationToken);
            }
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.Move(scratch, path, overwrite: true); // two instances of the same download: either whole file wins
            Added(new FileInfo(path).Length);
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            throw new FileNotFoundException($"No object '{key}' in bucket '{options.Bucket}'.", key, ex);
        }
        finally
        {
            File.Delete(scratch);
        }
        await TrimAsync();
        return path;
    }

    public async Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        await s3.DeleteObjectAsync(options.Bucket, StorageKeys.Check(key), cancellationToken);
        await cache.DeleteAsync(key, cancellationToken);
    }

    /// <summary>The object's size in the bucket, or null when there is none (tests, maintenance).</summary>
    public async Task<long?> SizeInBucketAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            return (await s3.GetObjectMetadataAsync(options.Bucket, StorageKeys.Check(key), cancellationToken)).ContentLength;
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private async Task UploadOrForgetAsync(StoredObject stored, CancellationToken cancellationToken)
    {
        var path = cache.LocalPath(stored.Key);
        try
        {
            if (stored.SizeBytes < options.MultipartThresholdBytes)
            {
                var put = new PutObjectRequest { BucketName = options.Bucket, Key = stored.Key, FilePath = path, UseChunkEncoding = false };
                put.Metadata.Add("sha256", stored.Sha256);
                await s3.PutObjectAsync(put, cancellationToken);
            }
            else
            {
                await UploadInPartsAsync(stored, path, cancellationToken);
            }
            Added(stored.SizeBytes);
        }
        catch
        {
            // Not in the bucket, so not stored: no cached copy that other calls could take for the object.
            File.Delete(path);
            throw;
        }
        await TrimAsync();
    }

    /// <summary>
    /// A multipart upload, <c>PartSizeBytes</c> a part, four parts at a time, each read from the file at its offset;
    /// aborted (the bucket drops the parts) when any part fails. Written out rather than through TransferUtility, whose
    /// requests cannot turn off aws-chunked payloads, which S3-compatible servers other than AWS and MinIO store as
    /// they come (ADR 24).
    /// </summary>
    private async Task UploadInPartsAsync(StoredObject stored, string path, CancellationToken cancellationToken)
    {
        var start = new InitiateMultipartUploadRequest { BucketName = options.Bucket, Key = stored.Key };
        start.Metadata.Add("sha256", stored.Sha256);
        var upload = await s3.InitiateMultipartUploadAsync(start, cancellationToken);
        try
        {
            var count = (int)((stored.SizeBytes + options.PartSizeBytes - 1) / options.PartSizeBytes);
            var etags = new PartETag[count];
            await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken }, async (i, ct) =>
            {
                var offset = i * options.PartSizeBytes;
                var part = await s3.UploadPartAsync(new UploadPartRequest
                {
                    BucketName = options.Bucket,
                    Key = stored.Key,
                    UploadId = upload.UploadId,
                    PartNumber = i + 1,
                    FilePath = path,
                    FilePosition = offset,
                    PartSize = Math.Min(options.PartSizeBytes, stored.SizeBytes - offset),
                    UseChunkEncoding = false,
                }, ct);
                etags[i] = new PartETag(i + 1, part.ETag);
            });
            await s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
            {
                BucketName = options.Bucket,
                Key = stored.Key,
                UploadId = upload.UploadId,
                PartETags = [.. etags],
            }, cancellationToken);
        }
        catch
        {
            await s3.AbortMultipartUploadAsync(options.Bucket, stored.Key, upload.UploadId, CancellationToken.None);
            throw;
        }
    }

    private void Added(long bytes)
    {
        if (Interlocked.Read(ref _cachedBytes) >= 0)
        {
            Interlocked.Add(ref _cachedBytes, bytes);
        }
    }

    /// <summary>
    /// Keeps the cache under <c>CacheMaxBytes</c>: least recently used files first, down to 90 % of it. The folder is
    /// listed once, then only when the running estimate of what was added passes the bound — not on every write.
    /// </summary>
    private async Task TrimAsync()
    {
        var estimate = Interlocked.Read(ref _cachedBytes);
        if ((estimate >= 0 && estimate <= options.CacheMaxBytes) || !await _trimming.WaitAsync(0))
        {
            return; // under the bound, or another call is trimming
        }
        try
        {
            var files = cache.Keys().Select(k => new FileInfo(cache.LocalPath(k))).Where(f => f.Exists).ToList();
            var total = files.Sum(f => f.Length);
            if (total > options.CacheMaxBytes)
            {
                var target = options.CacheMaxBytes * 9 / 10;
                foreach (var file in files.OrderBy(f => f.LastWriteTimeUtc))
                {
                    if (total <= target)
                    {
                        break;
                    }
                    total -= file.Length;
                    file.Delete(); // a reader that has it open keeps reading: the name goes, the bytes stay until closed
                }
                logger.LogInformation("Storage cache trimmed to {Bytes:N0} bytes", total);
            }
            Interlocked.Exchange(ref _cachedBytes, total);
        }
        catch (IOException ex)
        {
            logger.LogWarning(ex, "Trimming the storage cache failed");
        }
        finally
        {
            _trimming.Release();
        }
    }

    public void Dispose()
    {
        _trimming.Dispose();
    }
}
