using SkiaSharp;

namespace RenderOwl.Infrastructure.Rendering.Drawing;

/// <summary>The transparent surfaces layers are drawn on, and their PNG bytes.</summary>
public static class Canvas
{
    public static SKSurface Transparent(int width, int height)
    {
        var surface = SKSurface.Create(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        surface.Canvas.Clear(SKColors.Transparent);
        return surface;
    }

    public static byte[] Png(SKSurface surface)
    {
        using var image = surface.Snapshot();
        using var png = image.Encode(SKEncodedImageFormat.Png, 100);
        return png.ToArray();
    }
}
