using System.ComponentModel.DataAnnotations;

namespace RenderOwl.Infrastructure.Storage;

/// <summary><c>Storage</c>: where objects live. <c>local</c> (the default) keeps them under <c>Rendering:StoragePath</c>; <c>s3</c> in a bucket.</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    [RegularExpression("^(local|s3)$", ErrorMessage = "Storage:Provider must be 'local' or 's3'.")]
    public string Provider { get; set; } = "local";

    public S3StorageOptions S3 { get; set; } = new();
}

/// <summary><c>Storage:S3</c>: an S3-compatible bucket (AWS, MinIO, Ceph, s3rver) and this instance's local cache of it.</summary>
public sealed class S3StorageOptions
{
    /// <summary>The endpoint (<c>https://s3.eu-west-1.amazonaws.com</c>, <c>http://minio:9000</c>); empty: AWS by <see cref="Region"/>.</summary>
    public string? ServiceUrl { get; set; }

    public string Region { get; set; } = "us-east-1";

    public string Bucket { get; set; } = "renderowl";

    /// <summary>Empty: the SDK's default credential chain (environment, instance profile, web identity).</summary>
    public string? AccessKey { get; set; }

    public string? SecretKey { get; set; }

    /// <summary>Path-style URLs (<c>endpoint/bucket/key</c>), which MinIO and s3rver need.</summary>
    public bool ForcePathStyle { get; set; } = true;

    /// <summary>Files from this size upward are uploaded in parts, <see cref="PartSizeBytes"/> each, several at a time.</summary>
    [Range(5L * 1024 * 1024, long.MaxValue)]
    public long MultipartThresholdBytes { get; set; } = 16L * 1024 * 1024;

    [Range(5L * 1024 * 1024, 5L * 1024 * 1024 * 1024)]
    public long PartSizeBytes { get; set; } = 8L * 1024 * 1024;

    /// <summary>
    /// How much of the bucket this instance keeps on its own disk (under <c>Rendering:StoragePath</c>) for ffmpeg and
    /// downloads; past it the least recently used files are dropped (they stay in the bucket).
    /// </summary>
    [Range(64L * 1024 * 1024, long.MaxValue)]
    public long CacheMaxBytes { get; set; } = 10L * 1024 * 1024 * 1024;
}
