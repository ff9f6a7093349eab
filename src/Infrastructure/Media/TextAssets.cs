using System.Text;
using RenderOwl.Application.Common.Errors;
using RenderOwl.Application.Common.Media;
using RenderOwl.Application.Rendering;
using RenderOwl.Domain.Assets;

namespace RenderOwl.Infrastructure.Media;

/// <summary>
/// Uploads that are not media: subtitles (SRT or WebVTT, UTF-8 text, at most 1 MiB, every cue readable — a bad line is
/// a field error naming it) and fonts (TrueType or OpenType, read by the text engine, which names the family).
/// Decided by content, like every upload.
/// </summary>
internal static class TextAssets
{
    public static InspectedMedia? Inspect(string path)
    {
        Span<byte> head = stackalloc byte[8];
        int read;
        using (var file = File.OpenRead(path))
        {
            read = file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        }
        head = head[..read];
        if (IsFont(head))
        {
            var family = Rendering.Drawing.Fonts.FamilyOf(path)
                ?? throw new BadRequestException(ErrorCatalog.UnsupportedMedia, "The font file cannot be read.");
            return new InspectedMedia(AssetKind.Font, head[0] == (byte)'O' ? "font/otf" : "font/ttf", null, null, null, family);
        }
        return Subtitle(path);
    }

    private static bool IsFont(ReadOnlySpan<byte> b)
        => b.Length >= 4 && (b[..4].SequenceEqual(new byte[] { 0x00, 0x01, 0x00, 0x00 }) || b[..4].SequenceEqual("OTTO"u8) || b[..4].SequenceEqual("true"u8));

    private static InspectedMedia? Subtitle(string path)
    {
        var length = new FileInfo(path).Length;
        string text;
        try
        {
            using var reader = new StreamReader(path, new UTF8Encoding(false, throwOnInvalidBytes: true), detectEncodingFromByteOrderMarks: true);
            var buffer = new char[Math.Min(length, Subtitles.MaxBytes + 1)];
            text = new string(buffer, 0, reader.ReadBlock(buffer, 0, buffer.Length));
        }
        catch (DecoderFallbackException)
        {
            return null; // not UTF-8 text: a media file, or nothing we take
        }
        if (!Subtitles.LooksLikeSubtitles(text))
        {
            return null;
        }
        if (length > Subtitles.MaxBytes)
        {
            throw new BadRequestException(ErrorCatalog.UnsupportedMedia, $"Subtitle files may be at most {Subtitles.MaxBytes / 1024} KiB.");
        }
        var errors = new List<SubtitleError>();
        var cues = Subtitles.Parse(text, errors);
        if (errors.Count > 0)
        {
            throw new ValidationFailedException([.. errors.Take(50).Select(e => new FieldError("file", "invalid_subtitle", $"Line {e.Line}: {e.Message}"))]);
        }
        return new InspectedMedia(AssetKind.Subtitle, Subtitles.IsVtt(text) ? "text/vtt" : "application/x-subrip", null, null, cues.Max(c => c.End));
    }
}
