using System.Buffers;
using System.Security.Cryptography;
using RenderOwl.Application.Common.Abstractions;

namespace RenderOwl.Infrastructure.Storage;

/// <summary>
/// Objects as files under one root. Keys are server-made (<c>assets/…</c>, <c>renders/…</c>) and checked
/// against a strict pattern, so no key can leave the root. Writes go to a scratch file on the same volume and
/// are renamed into place: a reader never sees half an object, and a failed write leaves nothing.
/// </summary>
public sealed partial class LocalObjectStorage : IObjectStorage
{
    private readonly string _root;
    private readonly string _scratch;

    public LocalObjectStorage(string root)
    {
        _root = Path.GetFullPath(root);
        _scratch = Path.Combine(_root, ".scratch");
        Directory.CreateDirectory(_scratch);
    }

    public string Root => _root;

    public string LocalPath(string key)
    {
        var path = Path.GetFullPath(Path.Combine(_root, StorageKeys.Check(key)));
        return path.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            ? path
            : throw new ArgumentException($"Not a storage key: '{key}'.", nameof(key));
    }

    public ValueTask<string> LocalPathAsync(string key, CancellationToken cancellationToken) => ValueTask.FromResult(LocalPath(key));

    public string NewScratchPath(string extension) => Path.Combine(_scratch, Guid.NewGuid().ToString("N") + extension);

    public async Task<StoredObject> WriteAsync(string key, Stream content, long maxBytes, CancellationToken cancellationToken)
    {
        var target = LocalPath(key);
        var scratch = NewScratchPath(".part");
        try
        {
            long size = 0;
            using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            await using (var file = new FileStream(scratch, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous))
            {
                var buffer = ArrayPool<byte>.Shared.Rent(81920);
                try
                {
                    int read;
                    while ((read = await content.ReadAsync(buffer.AsMemory(0, 81920), cancellationToken)) > 0)
                    {
                        size += read;
                        if (size > maxBytes)
                        {
                            throw new ObjectTooLargeException(maxBytes);
                        }
                        sha.AppendData(buffer, 0, read);
                        await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                    }
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
                await file.FlushAsync(cancellationToken);
            }
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Move(scratch, target, overwrite: true);
            return new StoredObject(key, size, Convert.ToHexStringLower(sha.GetHashAndReset()));
        }
        finally
        {
            File.Delete(scratch); // no-op after the move
        }
    }

    public async Task<StoredObject> CommitFileAsync(string localFile, string key, CancellationToken cancellationToken)
    {
        var target = LocalPath(key);
        string hash;
        long size;
        await using (var file = new FileStream(localFile, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous))
        {
            size = file.Length;
            hash = Convert.ToHexStringLower(await SHA256.HashDataAsync(file, cancellationToken));
        }
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        if (Path.GetDirectoryName(Path.GetFullPath(localFile))!.StartsWith(_root, StringComparison.Ordinal))
        {
            File.Move(localFile, target, overwrite: true); // same volume: atomic rename
        }
        else
        {
            var scratch = NewScratchPath(".part");
            File.Copy(localFile, scratch);
            File.Move(scratch, target, overwrite: true);
        }
        return new StoredObject(key, size, hash);
    }

    public async Task CopyAsync(string sourceKey, string key, CancellationToken cancellationToken)
    {
        var (source, target) = (LocalPath(sourceKey), LocalPath(key));
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        // A hard link: no bytes copied, and the file lives until its last name is deleted. Where the volume cannot link, a copy.
        if (OperatingSystem.IsWindows() || Link(source, target) != 0)
        {
            var scratch = NewScratchPath(".part");
            await using (var from = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous | FileOptions.SequentialScan))
            await using (var to = new FileStream(scratch, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous))
            {
                await from.CopyToAsync(to, cancellationToken);
            }
            File.Move(scratch, target, overwrite: true);
        }
    }

    [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "link", StringMarshalling = System.Runtime.InteropServices.StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Link(string existing, string created);

    public Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        File.Delete(LocalPath(key));
        return Task.CompletedTask;
    }

    /// <summary>All object keys (for tests and maintenance), scratch files excluded.</summary>
    public IEnumerable<string> Keys()
        => Directory.EnumerateFiles(_root, "*", SearchOption.AllDirectories)
            .Where(f => !f.StartsWith(_scratch, StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(_root, f).Replace(Path.DirectorySeparatorChar, '/'));
}
