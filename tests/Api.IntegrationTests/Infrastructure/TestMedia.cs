using System.Diagnostics;
using System.Net.Http.Headers;

namespace RenderOwl.Api.IntegrationTests.Infrastructure;

/// <summary>Real media made once per run with ffmpeg, and a multipart helper.</summary>
public static class TestMedia
{
    private static readonly string Folder = Directory.CreateTempSubdirectory("renderowl-media-").FullName;
    private static readonly Lazy<byte[]> PngBytes = new(() => Make("red.png", "-f", "lavfi", "-i", "color=c=red:s=64x48", "-frames:v", "1"));
    private static readonly Lazy<byte[]> WavBytes = new(() => Make("tone.wav", "-f", "lavfi", "-i", "sine=frequency=440:duration=2"));
    private static readonly Lazy<byte[]> Mp4Bytes = new(() => Make("clip.mp4", "-f", "lavfi", "-i", "color=c=blue:s=160x120:r=25:d=2", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"));

    private static readonly Lazy<byte[]> FastStartBytes = new(() => Make("faststart.mp4", "-f", "lavfi", "-i", "testsrc=s=160x120:r=25:d=4", "-f", "lavfi", "-i", "sine=d=4",
        "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", "-movflags", "+faststart"));
    private static readonly Lazy<byte[]> Mp3Bytes = new(() => Make("tone.mp3", "-f", "lavfi", "-i", "sine=frequency=440:duration=2", "-c:a", "libmp3lame", "-id3v2_version", "4",
        "-metadata", "title=A tagged tone"));

    private static readonly Lazy<byte[]> TsBytes = new(() => Make("tone.ts", "-f", "lavfi", "-i", "sine=frequency=440:duration=2", "-c:a", "mp2", "-f", "mpegts"));

    public static byte[] Png => PngBytes.Value;
    /// <summary>2 s of sound in MPEG-TS (a type uploads do not accept; a server file HLS would take).</summary>
    public static byte[] MpegTs => TsBytes.Value;
    /// <summary>4 s of video and sound with the index (moov) before the data.</summary>
    public static byte[] FastStartMp4 => FastStartBytes.Value;
    /// <summary>2 s of MP3 behind an ID3v2.4 tag with a title.</summary>
    public static byte[] Mp3 => Mp3Bytes.Value;
    public static byte[] Wav => WavBytes.Value;
    public static byte[] Mp4 => Mp4Bytes.Value;

    /// <summary>A PNG whose header claims 1 × 1,000,000,000 pixels: a decoder would try to allocate gigabytes.</summary>
    public static byte[] DecompressionBomb()
    {
        var png = (byte[])Png.Clone();
        png[16] = 0; png[17] = 0; png[18] = 0; png[19] = 1;                 // width 1
        png[20] = 0x3B; png[21] = 0x9A; png[22] = 0xCA; png[23] = 0x00;     // height 1,000,000,000
        return png;
    }

    public static MultipartFormDataContent Multipart(byte[] bytes, string fileName, string declaredType)
    {
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue(declaredType);
        return new MultipartFormDataContent { { file, "file", fileName } };
    }

    private static byte[] Make(string name, params string[] args)
    {
        var path = Path.Combine(Folder, name);
        var start = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[] { "-hide_banner", "-loglevel", "error", "-y" }.Concat(args).Append(path))
        {
            start.ArgumentList.Add(a);
        }
        using var p = Process.Start(start)!;
        var err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, err);
        return File.ReadAllBytes(path);
    }
}
