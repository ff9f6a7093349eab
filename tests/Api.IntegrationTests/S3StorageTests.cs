using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using RenderOwl.Api.IntegrationTests.Infrastructure;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Infrastructure.Storage;

namespace RenderOwl.Api.IntegrationTests;

/// <summary>
/// <c>Storage:Provider=s3</c> against a real S3-compatible server (s3rver, started by the services script): objects are
/// in the bucket before a write returns, large ones in parts; another instance with an empty cache reads the same
/// bytes; copies are server-side; deletes reach the bucket; the local cache stays under its bound; and through the API a
/// render's output uploaded by one instance downloads, ranges included, from another.
/// </summary>
public sealed class S3StorageTests(ApiFixture fixture) : ApiTest(fixture), IDisposable
{
    private readonly List<string> _folders = [];

    private string NewFolder()
    {
        var folder = Path.Combine(Path.GetTempPath(), "renderowl-s3-cache-" + Guid.NewGuid().ToString("N")[..8]);
        _folders.Add(folder);
        return folder;
    }

    /// <summary>An instance's view of the bucket: its own cache folder, the same bucket.</summary>
    private (S3ObjectStorage Storage, LocalObjectStorage Cache) Instance(long cacheMaxBytes = 1L << 30, long partSize = 5L << 20, List<string>? requests = null)
    {
        var options = new S3StorageOptions
        {
            ServiceUrl = Fixture.S3Endpoint, Bucket = "renderowl", AccessKey = "S3RVER", SecretKey = "S3RVER",
            MultipartThresholdBytes = 8L << 20, PartSizeBytes = partSize, CacheMaxBytes = cacheMaxBytes,
        };
        var cache = new LocalObjectStorage(NewFolder());
        var client = S3Clients.Create(options);
        if (requests is not null)
        {
            // What the client sends, by request type (the test's view of the wire).
            ((Amazon.Runtime.AmazonServiceClient)client).BeforeRequestEvent += (_, e) =>
            {
                if (e is Amazon.Runtime.WebServiceRequestEventArgs w)
                {
                    lock (requests)
                    {
                        requests.Add(w.Request.GetType().Name);
                    }
                }
            };
        }
        return (new S3ObjectStorage(client, options, cache, NullLogger<S3ObjectStorage>.Instance), cache);
    }

    private static string Key(string name) => $"assets/s3test{Guid.NewGuid():N}/{name}";

    private static async Task<string> Sha256Async(string path)
    {
        await using var file = File.OpenRead(path);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(file));
    }

    [Fact]
    public async Task A_write_is_in_the_bucket_when_it_returns_and_another_instance_reads_the_same_bytes()
    {
        var (one, _) = Instance();
        var (two, twoCache) = Instance();
        var bytes = RandomNumberGenerator.GetBytes(300_000);
        var key = Key("small.bin");
        var stored = await one.WriteAsync(key, new MemoryStream(bytes), 1 << 20, CancellationToken.None);

        Assert.Equal(bytes.Length, await one.SizeInBucketAsync(key, CancellationToken.None));
        Assert.False(File.Exists(twoCache.LocalPath(key)));
        var path = await two.LocalPathAsync(key, CancellationToken.None); // fetched from the bucket into two's cache
        Assert.Equal(stored.Sha256, await Sha256Async(path));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), stored.Sha256);

        await Assert.ThrowsAsync<ObjectTooLargeException>(() => one.WriteAsync(Key("big.bin"), new MemoryStream(bytes), 1000, CancellationToken.None));
        await Assert.ThrowsAsync<FileNotFoundException>(async () => await two.LocalPathAsync(Key("missing.bin"), CancellationToken.None));
    }

    [Fact]
    public async Task A_large_file_goes_up_in_parts_and_comes_back_whole()
    {
        var requests = new List<string>();
        var (one, _) = Instance(partSize: 5L << 20, requests: requests);
        var (two, _) = Instance();
        var file = Path.Combine(NewFolder(), "large.bin");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        await File.WriteAllBytesAsync(file, RandomNumberGenerator.GetBytes(21 << 20)); // 21 MiB: five parts of 5 MiB
        var expected = await Sha256Async(file);
        var key = Key("large.bin");
        var stored = await one.CommitFileAsync(file, key, CancellationToken.None);

        Assert.Equal(expected, stored.Sha256);
        using var client = S3Clients.Create(new S3StorageOptions { ServiceUrl = Fixture.S3Endpoint, AccessKey = "S3RVER", SecretKey = "S3RVER" });
        var head = await client.GetObjectMetadataAsync("renderowl", key);
        Assert.Equal(21L << 20, head.ContentLength);
        Assert.Equal(5, requests.Count(r => r == "UploadPartRequest"));
        Assert.Equal(1, requests.Count(r => r == "CompleteMultipartUploadRequest"));
        Assert.DoesNotContain("PutObjectRequest", requests);
        Assert.Equal(expected, head.Metadata["sha256"]);
        Assert.Equal(expected, await Sha256Async(await two.LocalPathAsync(key, CancellationToken.None)));
    }

    [Fact]
    public async Task A_copy_is_made_in_the_bucket_and_outlives_its_source_and_a_delete_reaches_the_bucket()
    {
        var (one, _) = Instance();
        var (two, _) = Instance();
        var bytes = RandomNumberGenerator.GetBytes(10_000);
        var source = Key("source.bin");
        var copy = Key("copy.bin");
        await one.WriteAsync(source, new MemoryStream(bytes), 1 << 20, CancellationToken.None);
        await one.CopyAsync(source, copy, CancellationToken.None);
        await one.DeleteAsync(source, CancellationToken.None);

        Assert.Null(await one.SizeInBucketAsync(source, CancellationToken.None));
        Assert.Equal(bytes, await File.ReadAllBytesAsync(await two.LocalPathAsync(copy, CancellationToken.None)));
        await Assert.ThrowsAsync<FileNotFoundException>(async () => await two.LocalPathAsync(source, CancellationToken.None));
    }

    [Fact]
    public async Task The_local_cache_stays_under_its_bound_and_a_dropped_file_is_fetched_again()
    {
        var (one, cache) = Instance(cacheMaxBytes: 2_500_000);
        var keys = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            var key = Key($"c{i}.bin");
            await one.WriteAsync(key, new MemoryStream(RandomNumberGenerator.GetBytes(1_000_000)), 2_000_000, CancellationToken.None);
            keys.Add(key);
            await Task.Delay(20); // distinct last-use times
        }
        var cached = cache.Keys().Sum(k => new FileInfo(cache.LocalPath(k)).Length);
        Assert.True(cached <= 2_500_000, $"{cached} bytes cached");
        Assert.False(File.Exists(cache.LocalPath(keys[0]))); // the least recently used went first
        Assert.Equal(1_000_000, new FileInfo(await one.LocalPathAsync(keys[0], CancellationToken.None)).Length);
    }

    [Fact]
    public async Task A_render_made_by_one_instance_downloads_with_ranges_from_another_with_an_empty_cache()
    {
        await using var worker = Fixture.CreateFactory(new Dictionary<string, string?>(Renders.Worker).Concat(Fixture.S3Settings(NewFolder())).ToDictionary());
        await using var other = Fixture.CreateFactory(new Dictionary<string, string?>(Fixture.S3Settings(NewFolder())) { ["RenderOwl:Role"] = "api" });
        var session = await this.RegisterUserAsync(worker.CreateClient);
        var project = (await session.Client.CreateProjectAsync("s3"))["id"]!.GetValue<string>();
        var id = (await session.Client.SubmitAsync(project, Renders.Small()))["id"]!.GetValue<string>();
        var done = await session.Client.WaitForAsync(id, r => r.Status() is "succeeded" or "failed");
        Assert.Equal("succeeded", done.Status());
        var sha = done["output"]!["sha256"]!.GetValue<string>();

        var client = other.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", session.AccessToken);
        var download = await client.GetAsync($"/v1/renders/{id}/output");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        var body = await download.Content.ReadAsByteArrayAsync();
        Assert.Equal(sha, Convert.ToHexStringLower(SHA256.HashData(body)));

        using var range = new HttpRequestMessage(HttpMethod.Get, $"/v1/renders/{id}/output");
        range.Headers.Range = new RangeHeaderValue(10, 109);
        var partial = await client.SendAsync(range);
        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal(body.AsSpan(10, 100).ToArray(), await partial.Content.ReadAsByteArrayAsync());

        // The bucket holds it: the worker's storage is S3, not its disk.
        Assert.IsType<S3ObjectStorage>(worker.Services.GetRequiredService<IObjectStorage>());
        using var s3 = S3Clients.Create(new S3StorageOptions { ServiceUrl = Fixture.S3Endpoint, AccessKey = "S3RVER", SecretKey = "S3RVER" });
        var listed = await s3.ListObjectsV2Async(new Amazon.S3.Model.ListObjectsV2Request { BucketName = "renderowl", MaxKeys = 1000 });
        Assert.Contains(listed.S3Objects, o => o.Size == body.Length);
    }

    public void Dispose()
    {
        foreach (var folder in _folders.Where(Directory.Exists))
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
