using Amazon;
using Amazon.Runtime;
using Amazon.S3;

namespace RenderOwl.Infrastructure.Storage;

/// <summary>The S3 client <c>Storage:S3</c> describes.</summary>
public static class S3Clients
{
    public static IAmazonS3 Create(S3StorageOptions options)
    {
        var config = new AmazonS3Config
        {
            ForcePathStyle = options.ForcePathStyle,
            // Checksums only where S3 requires them: the SDK 4 default (a CRC trailer on every upload, aws-chunked) is
            // not understood by every S3-compatible server (s3rver, older MinIO); SHA-256 of each object is kept as metadata.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            Timeout = TimeSpan.FromMinutes(5),
        };
        if (options.ServiceUrl is { Length: > 0 } url)
        {
            config.ServiceURL = url;
            config.AuthenticationRegion = options.Region;
        }
        else
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(options.Region);
        }
        return options.AccessKey is { Length: > 0 } key
            ? new AmazonS3Client(new BasicAWSCredentials(key, options.SecretKey), config)
            : new AmazonS3Client(config);
    }
}
