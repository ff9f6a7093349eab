using RenderOwl.Domain.Rendering;

namespace RenderOwl.Application.Rendering;

/// <summary>The content type and file extension of a render's output, from its format.</summary>
public static class OutputFiles
{
    public static (string ContentType, string Extension) Of(OutputFormat format) => format switch
    {
        OutputFormat.Webm => ("video/webm", "webm"),
        OutputFormat.Gif => ("image/gif", "gif"),
        OutputFormat.MovAlpha => ("video/quicktime", "mov"),
        OutputFormat.Mp3 => ("audio/mpeg", "mp3"),
        OutputFormat.Png => ("image/png", "png"),
        OutputFormat.Jpg => ("image/jpeg", "jpg"),
        _ => ("video/mp4", "mp4"),
    };

    /// <summary>The output as a download: its file, type, hash, a name from the render's id, and when it was made.</summary>
    public static Common.Abstractions.Download Download(Domain.Common.RenderId id, OutputFormat format, RenderOutputInfo output, DateTimeOffset madeAt)
    {
        var (type, extension) = Of(format);
        return new Common.Abstractions.Download(output.StorageKey, type, output.Sha256, $"{id}.{extension}", madeAt);
    }
}
