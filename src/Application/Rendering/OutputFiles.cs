using RenderOwl.Domain.Rendering;

namespace RenderOwl.Application.Rendering;

/// <summary>The content type and file extension of a render's output, from its format.</summary>
public static class OutputFiles
{
    public static (string ContentType, string Extension) Of(OutputFormat format) => format switch
    {
        OutputFormat.Webm => ("video/webm", "webm"),
        OutputFormat.Gif => ("image/gif", "gif"),
        _ => ("video/mp4", "mp4"),
    };
}
