using System.IO.Compression;
using ZiggyCreatures.Caching.Fusion.Serialization;
using ZiggyCreatures.Caching.Fusion.Serialization.SystemTextJson;

namespace RenderOwl.Infrastructure.Caching;

/// <summary>
/// System.Text.Json for the second level, gzip over a threshold. A compressed value starts with gzip's magic bytes
/// (1F 8B), which no JSON text can, so reading needs no marker of its own and old uncompressed values still read.
/// </summary>
public sealed class CompressingSerializer(int compressAboveBytes) : IFusionCacheSerializer
{
    private readonly FusionCacheSystemTextJsonSerializer _json = new();

    public byte[] Serialize<T>(T? obj) => Compress(_json.Serialize(obj));

    public T? Deserialize<T>(byte[] data) => _json.Deserialize<T>(Decompress(data));

    public ValueTask<byte[]> SerializeAsync<T>(T? obj, CancellationToken token = default) => ValueTask.FromResult(Serialize(obj));

    public ValueTask<T?> DeserializeAsync<T>(byte[] data, CancellationToken token = default) => ValueTask.FromResult(Deserialize<T>(data));

    public static bool IsCompressed(ReadOnlySpan<byte> data) => data.Length > 2 && data[0] == 0x1F && data[1] == 0x8B;

    private byte[] Compress(byte[] data)
    {
        if (data.Length <= compressAboveBytes)
        {
            return data;
        }
        using var output = new MemoryStream(data.Length / 3);
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(data);
        }
        return output.ToArray();
    }

    private static byte[] Decompress(byte[] data)
    {
        if (!IsCompressed(data))
        {
            return data;
        }
        using var input = new MemoryStream(data);
        using var gzip = new GZipStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream(data.Length * 4);
        gzip.CopyTo(output);
        return output.ToArray();
    }

    public override string ToString() => "gzip over " + compressAboveBytes + " bytes, System.Text.Json";
}
