using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Errors;
using RenderOwl.Domain.Rendering;
using RenderOwl.Infrastructure.Rendering.Drawing;

namespace RenderOwl.Infrastructure.Rendering;

/// <summary>
/// The dry run's layout warnings, from the same geometry and text engine the renderer uses: text cut at its box or
/// with characters no font has (the painter's own measurements), a layer wholly outside the frame, one that can never
/// be seen (opacity 0, or covered for its whole time by a later opaque colour or shape that holds its box), media
/// shorter than its layer, and media enlarged more than twice to fill its box.
/// </summary>
public sealed class LayoutInspector(IObjectStorage storage) : ILayoutInspector
{
    public const double MaxUpscale = 2;

    public async Task<IReadOnlyList<FieldError>> WarningsAsync(Composition resolved, OutputSettings output, IReadOnlyDictionary<Guid, OwnedAsset> assets, CancellationToken cancellationToken)
    {
        var warnings = new List<FieldError>();
        var boxes = new (double X, double Y, int W, int H)?[resolved.Layers.Count];
        var uploaded = await UploadedFontsAsync(resolved, assets, cancellationToken);
        for (var i = 0; i < resolved.Layers.Count; i++)
        {
            var layer = resolved.Layers[i];
            var field = $"composition.layers[{i}]";
            var asset = layer.AssetId is { } id && assets.TryGetValue(id.Value, out var a) ? a : null;
            var painted = layer.Type == LayerType.Text ? TextPainter.Paint(layer, output.Width, output.Height, uploaded) : null;
            boxes[i] = Box(layer, output, painted);
            if (painted is not null)
            {
                if (painted.Overflow)
                {
                    warnings.Add(new FieldError(field + ".text", "text_overflow", "The text does not fit its box at this size: it is cut at the box's edge."));
                }
                if (painted.MissingGlyphs)
                {
                    warnings.Add(new FieldError(field + ".text", "missing_glyphs", "Some characters are in no installed font and are drawn as the font's missing-glyph box."));
                }
            }
            if (boxes[i] is { } box && (box.X >= output.Width || box.Y >= output.Height || box.X + box.W <= 0 || box.Y + box.H <= 0)
                && layer.Keyframes?.X is null && layer.Keyframes?.Y is null)
            {
                warnings.Add(new FieldError(field + ".position", "off_canvas", "The layer lies wholly outside the frame."));
            }
            if (layer.Opacity == 0 && layer.Keyframes?.Opacity is null)
            {
                warnings.Add(new FieldError(field + ".opacity", "hidden", "The layer is fully transparent (opacity 0)."));
            }
            if (asset is not null && Shorter(layer, asset, resolved.Seconds) is { } media)
            {
                warnings.Add(new FieldError(field + ".duration", "media_shorter_than_layer",
                    $"The layer lasts {End(layer, resolved.Seconds) - layer.Start:0.##} s but its media gives {media:0.##} s; the rest shows nothing (use 'loop' to repeat it)."));
            }
            if (asset is { Width: > 0, Height: > 0 } && boxes[i] is { } fitted && Upscale(layer, asset, fitted) is > MaxUpscale and var factor)
            {
                warnings.Add(new FieldError(field + ".size", "upscaled", $"The {asset.Kind} is enlarged {factor:0.#}× to fill its box; it will look soft."));
            }
        }
        for (var i = 0; i < resolved.Layers.Count; i++)
        {
            if (resolved.Layers[i].Opacity != 0 && CoveredBy(resolved, boxes, i) is { } cover)
            {
                warnings.Add(new FieldError($"composition.layers[{i}]", "hidden", $"Layer {cover} covers this layer completely for all of its time."));
            }
        }
        return warnings;
    }

    /// <summary>Where the layer's box lies in the frame at rest (no rotation or motion); null for sound.</summary>
    private static (double X, double Y, int W, int H)? Box(Layer layer, OutputSettings output, PaintedText? painted)
    {
        if (layer.Type is LayerType.Audio)
        {
            return null;
        }
        var (w, h) = layer.Type switch
        {
            LayerType.Text when painted is not null => (painted.Width, painted.Height),
            LayerType.Caption => CaptionPainter.Box(layer, output.Width, output.Height),
            _ => LayerGeometry.Box(layer, output),
        };
        var whenUnset = layer.Type is LayerType.Text ? LayerGeometry.Centre : LayerGeometry.TopLeft;
        if (layer.Type == LayerType.Caption)
        {
            layer = layer with { Position = layer.Position ?? new Position(Coordinate.PercentOf(50), Coordinate.PercentOf(95)), Anchor = layer.Anchor ?? (layer.Position is null ? "bottom" : null) };
        }
        var (x, y, _, _) = LayerGeometry.Place(layer, w, h, output, whenUnset);
        return (x, y, w, h);
    }

    /// <summary>The composition's uploaded fonts by family, read from storage as the renderer reads them.</summary>
    private async Task<Func<string, SkiaSharp.SKTypeface?>> UploadedFontsAsync(Composition composition, IReadOnlyDictionary<Guid, OwnedAsset> assets, CancellationToken cancellationToken)
    {
        var byFamily = new Dictionary<string, SkiaSharp.SKTypeface>(StringComparer.OrdinalIgnoreCase);
        foreach (var font in composition.Fonts ?? [])
        {
            if (assets.TryGetValue(font.AssetId.Value, out var asset) && Fonts.File(await storage.LocalPathAsync(asset.StorageKey, cancellationToken)) is { } face)
            {
                byFamily.TryAdd(face.FamilyName, face);
            }
        }
        return family => byFamily.GetValueOrDefault(family);
    }

    private static double End(Layer layer, double composition) => layer.EndWithin(composition);

    /// <summary>The media's length when it is shorter than the layer (not looping); null otherwise.</summary>
    private static double? Shorter(Layer layer, OwnedAsset asset, double composition)
    {
        if (layer.Type is not (LayerType.Video or LayerType.Audio) || layer.Loop == true || asset.DurationSeconds is not { } seconds)
        {
            return null;
        }
        var media = (Math.Min(layer.TrimDuration ?? double.MaxValue, seconds - (layer.TrimStart ?? 0))) / (layer.Speed ?? 1);
        return End(layer, composition) - layer.Start > media + 0.05 ? Math.Max(0, media) : null;
    }

    /// <summary>How much the media is enlarged to fill its box by its fit (after its crop).</summary>
    private static double? Upscale(Layer layer, OwnedAsset asset, (double X, double Y, int W, int H) box)
    {
        if (layer.Type is not (LayerType.Image or LayerType.Video))
        {
            return null;
        }
        var crop = layer.Crop;
        var w = asset.Width!.Value * (1 - (crop?.Left ?? 0) - (crop?.Right ?? 0));
        var h = asset.Height!.Value * (1 - (crop?.Top ?? 0) - (crop?.Bottom ?? 0));
        var (sx, sy) = (box.W / w, box.H / h);
        return (layer.Fit ?? Fit.Contain) switch
        {
            Fit.Contain => Math.Min(sx, sy),
            Fit.None => 1,
            _ => Math.Max(sx, sy),
        };
    }

    /// <summary>The index of a later layer that hides this one: an opaque colour or square shape, still, holding its box for all its time.</summary>
    private static int? CoveredBy(Composition composition, (double X, double Y, int W, int H)?[] boxes, int index)
    {
        if (boxes[index] is not { } box)
        {
            return null;
        }
        var layer = composition.Layers[index];
        var (start, end) = (layer.Start, layer.EndWithin(composition.Seconds));
        for (var j = index + 1; j < composition.Layers.Count; j++)
        {
            var top = composition.Layers[j];
            if (boxes[j] is not { } cover || !Opaque(top) || top.Start > start || top.EndWithin(composition.Seconds) < end)
            {
                continue;
            }
            if (cover.X <= box.X && cover.Y <= box.Y && cover.X + cover.W >= box.X + box.W && cover.Y + cover.H >= box.Y + box.H)
            {
                return j;
            }
        }
        return null;
    }

    private static bool Opaque(Layer layer)
        => layer.Type is LayerType.Color or LayerType.Shape
            && layer.Color is { Length: 7 } && (layer.Type == LayerType.Color || (layer.Shape == ShapeKind.Rectangle && (layer.CornerRadius ?? 0) == 0))
            && (layer.Opacity ?? 1) >= 1 && (layer.Rotation ?? 0) % 360 == 0
            && layer.Transition is null && layer.Keyframes is null && layer.Animation is null or Animation.None;
}
