using System.Globalization;
using System.Text;
using RenderOwl.Domain.Rendering;
using static RenderOwl.Infrastructure.Rendering.MotionExpressions;

namespace RenderOwl.Infrastructure.Rendering;

/// <summary>
/// One visual layer's movement over its own time: the filters that change its picture (effect, filter, opacity and its
/// keyframes, fades and wipes, rotation, scale) and the overlay expressions that place it frame by frame (slides, x/y
/// keyframes, the anchor kept fixed while it turns and grows). Built for a box of <c>w</c>×<c>h</c> whose top-left is
/// at (x, y) at rest, anchored at fractions (fx, fy) of it.
/// </summary>
internal sealed class LayerMotion(Layer layer, double start, double end, int w, int h, double x, double y, double fx, double fy, OutputSettings output)
{
    private static string N(double value) => FfmpegCommandBuilder.N(value);

    private const string LocalTime = "t";
    private double Length => end - start;
    private Keyframes Keys => layer.Keyframes ?? new Keyframes();

    /// <summary>
    /// Inside the box: Ken Burns or a pan over the layer's whole length — zoompan crops a window of the picture (1/zoom of
    /// it) and scales it back to the box, one output frame per input frame.
    /// </summary>
    public string Effect()
    {
        if (layer.Effect is not { } effect)
        {
            return "";
        }
        var p = Progress("it", 0, Length);
        var (zoom, x, y) = effect switch
        {
            Domain.Rendering.Effect.KenBurnsIn => ($"1+0.2*{p}", "(iw-iw/zoom)/2", "(ih-ih/zoom)/2"),
            Domain.Rendering.Effect.KenBurnsOut => ($"1.2-0.2*{p}", "(iw-iw/zoom)/2", "(ih-ih/zoom)/2"),
            Domain.Rendering.Effect.PanLeft => ("1.2", $"(iw-iw/zoom)*{p}", "(ih-ih/zoom)/2"),
            _ => ("1.2", $"(iw-iw/zoom)*(1-{p})", "(ih-ih/zoom)/2"),
        };
        return $"zoompan=z='{zoom}':x='{x}':y='{y}':d=1:s={w}x{h}:fps={FfmpegCommandBuilder.Rate(output.RenderFps)},";
    }

    public string Filter() => layer.Filter switch
    {
        VisualFilter.Grayscale => "hue=s=0,",
        VisualFilter.Sepia => "colorchannelmixer=.393:.769:.189:0:.349:.686:.168:0:.272:.534:.131,",
        VisualFilter.Blur => "gblur=sigma=6,",
        VisualFilter.Brighten => "lutrgb=r='clip(val*1.3,0,255)':g='clip(val*1.3,0,255)':b='clip(val*1.3,0,255)',",
        VisualFilter.Darken => "lutrgb=r='val*0.6':g='val*0.6':b='val*0.6',",
        VisualFilter.Contrast => "lutrgb=r='clip((val-128)*1.5+128,0,255)':g='clip((val-128)*1.5+128,0,255)':b='clip((val-128)*1.5+128,0,255)',",
        VisualFilter.Invert => "negate,",
        _ => "",
    };

    /// <summary>
    /// Opacity keyframes: a colour-channel mixer whose alpha factor is set every frame by <c>sendcmd</c> from
    /// <paramref name="commandFile"/> (written by the caller with <see cref="OpacityCommands"/>).
    /// </summary>
    public string KeyframedOpacity(string? commandFile, int index)
        => Keys.Opacity is { Count: > 0 } frames && commandFile is not null
            ? $"sendcmd=f={FfmpegCommandBuilder.SafePath(commandFile)},colorchannelmixer@op{index}=aa={N(frames[0].Value)},"
            : "";

    /// <summary>The alpha factor of every frame of the layer, as sendcmd commands for <c>colorchannelmixer@op{index}</c>.</summary>
    public string? OpacityCommands(int index)
    {
        if (Keys.Opacity is not { Count: > 0 } frames)
        {
            return null;
        }
        var text = new StringBuilder();
        var count = (int)Math.Ceiling(Length * output.RenderFps) + 1;
        for (var n = 0; n < count; n++)
        {
            var time = (double)n / output.RenderFps;
            text.Append(CultureInfo.InvariantCulture, $"{N(time)} colorchannelmixer@op{index} aa {N(Math.Clamp(Easings.ValueAt(frames, time), 0, 1))};\n");
        }
        return text.ToString();
    }

    /// <summary>Fades and wipes of the entrance and exit (and the older <c>animation</c> fades).</summary>
    public string Transitions()
    {
        var s = new StringBuilder(FfmpegCommandBuilder.Fades(layer, start, end));
        if (layer.Transition?.In is { } @in)
        {
            var d = Math.Min(@in.Seconds, Length);
            s.Append(@in.Type switch
            {
                TransitionType.Fade or TransitionType.ZoomOut => $"fade=t=in:st=0:d={N(d)}:alpha=1,",
                TransitionType.WipeRight => Wipe($"lte(X,W*{Ease(Easing.EaseOut, Progress("T", 0, d))})", 0, d),
                TransitionType.WipeLeft => Wipe($"gte(X,W*(1-{Ease(Easing.EaseOut, Progress("T", 0, d))}))", 0, d),
                _ => "",
            });
        }
        if (layer.Transition?.Out is { } @out)
        {
            var d = Math.Min(@out.Seconds, Length);
            var from = Length - d;
            s.Append(@out.Type switch
            {
                TransitionType.Fade or TransitionType.ZoomIn => $"fade=t=out:st={N(from)}:d={N(d)}:alpha=1,",
                TransitionType.WipeRight => Wipe($"gte(X,W*{Ease(Easing.EaseIn, Progress("T", from, d))})", from, Length),
                TransitionType.WipeLeft => Wipe($"lte(X,W*(1-{Ease(Easing.EaseIn, Progress("T", from, d))}))", from, Length),
                _ => "",
            });
        }
        return s.ToString();
    }

    private static string Wipe(string visible, double from, double to)
        => $"geq=r='r(X,Y)':g='g(X,Y)':b='b(X,Y)':a='if({visible},alpha(X,Y),0)':enable='between(t,{N(from)},{N(to)})',";

    /// <summary>The rotation in degrees at local time, as an expression; null when the layer does not turn.</summary>
    private string? Angle(string time)
        => Keys.Rotation is { Count: > 0 } frames ? Curve(frames, time)
            : layer.Rotation is { } r && r % 360 != 0 ? N(r) : null;

    /// <summary>The scale factor at local time (keyframes times zoom transitions), as an expression; null when it stays 1.</summary>
    private string? Scale(string time)
        => (KeyframedScale(time), Zoom(time)) switch
        {
            (null, null) => null,
            ({ } k, null) => k,
            (null, { } z) => z,
            var (k, z) => $"({k})*({z})",
        };

    /// <summary>The scale keyframes' factor (about the anchor); null without them.</summary>
    private string? KeyframedScale(string time) => Keys.Scale is { Count: > 0 } frames ? Curve(frames, time) : null;

    /// <summary>The zoom transitions' factor (about the box's centre); null without them.</summary>
    private string? Zoom(string time)
    {
        var factors = new List<string>();
        if (layer.Transition?.In is { Type: TransitionType.ZoomIn or TransitionType.ZoomOut } zin)
        {
            var e = Ease(Easing.EaseOut, Progress(time, 0, Math.Min(zin.Seconds, Length)));
            factors.Add(zin.Type == TransitionType.ZoomIn ? $"({e})" : $"(2-{e})");
        }
        if (layer.Transition?.Out is { Type: TransitionType.ZoomIn or TransitionType.ZoomOut } zout)
        {
            var d = Math.Min(zout.Seconds, Length);
            var e = Ease(Easing.EaseIn, Progress(time, Length - d, d));
            factors.Add(zout.Type == TransitionType.ZoomIn ? $"(1+{e})" : $"(1-{e})");
        }
        return factors.Count == 0 ? null : string.Join('*', factors);
    }

    /// <summary>Turning and growing: a fixed rotation on a canvas that holds it, a keyframed one on a square canvas that holds every angle; then the scale, frame by frame.</summary>
    public string Transform()
    {
        var s = new StringBuilder();
        if (Keys.Rotation is { Count: > 0 })
        {
            var side = (int)Math.Ceiling(Math.Sqrt((w * (double)w) + (h * (double)h)));
            s.Append($"rotate='({Angle(LocalTime)})*PI/180':ow={side}:oh={side}:c=black@0,");
        }
        else
        {
            s.Append(LayerFilters.Rotate(layer.Rotation));
        }
        if (Scale(LocalTime) is { } scale)
        {
            s.Append($"scale=w='max(2,iw*({scale}))':h='max(2,ih*({scale}))':eval=frame,");
        }
        return s.ToString();
    }

    /// <summary>
    /// Where the overlay puts the layer's (turned, scaled) picture: the box's centre, turned and scaled about the anchor,
    /// the anchor moved by slides and x/y keyframes; the picture (<c>w</c>×<c>h</c> in the overlay) centred there.
    /// </summary>
    public (string X, string Y) Overlay()
    {
        var time = $"(t-{N(start)})";
        var angle = Angle(time);
        var scale = KeyframedScale(time); // a zoom grows the picture about its own centre: the overlay centres it anyway
        if (angle is null && scale is null && Zoom(time) is null && Keys.X is null && Keys.Y is null && !Slides())
        {
            return LayerGeometry.OverlayAt(x, y, fx, fy, w, h, 0);
        }
        var anchorX = Keys.X is { Count: > 0 } kx ? Curve(kx, time) : N(x + (fx * w));
        var anchorY = Keys.Y is { Count: > 0 } ky ? Curve(ky, time) : N(y + (fy * h));
        var (slideX, slideY) = SlideOffsets(time);
        var (dx, dy) = ((0.5 - fx) * w, (0.5 - fy) * h); // the box's centre from its anchor, unturned
        var k = scale ?? "1";
        var (cos, sin) = angle is null ? ("1", "0") : ($"cos(({angle})*PI/180)", $"sin(({angle})*PI/180)");
        var cx = $"{anchorX}+{slideX}+({k})*({N(dx)}*{cos}-({N(dy)})*{sin})";
        var cy = $"{anchorY}+{slideY}+({k})*({N(dx)}*{sin}+({N(dy)})*{cos})";
        return ($"'{cx}-w/2'", $"'{cy}-h/2'");
    }

    private bool Slides() => layer.Transition is { } t && (IsSlide(t.In) || IsSlide(t.Out));

    private static bool IsSlide(TransitionStep? step) => step?.Type is TransitionType.SlideLeft or TransitionType.SlideRight or TransitionType.SlideUp or TransitionType.SlideDown;

    /// <summary>A slide in starts with the box just outside the frame on its side and eases out to rest; a slide out eases in to just outside.</summary>
    private (string X, string Y) SlideOffsets(string time)
    {
        var (sx, sy) = (new List<string>(), new List<string>());
        var (right, left, below, above) = (output.Width - x, -(x + w), output.Height - y, -(y + h)); // moves that leave the frame each way
        if (layer.Transition?.In is { } @in && IsSlide(@in))
        {
            var rest = $"(1-{Ease(Easing.EaseOut, Progress(time, 0, Math.Min(@in.Seconds, Length)))})";
            switch (@in.Type)
            {
                case TransitionType.SlideLeft: sx.Add($"{N(right)}*{rest}"); break;   // enters from the right, moving left
                case TransitionType.SlideRight: sx.Add($"({N(left)})*{rest}"); break;
                case TransitionType.SlideUp: sy.Add($"{N(below)}*{rest}"); break;
                default: sy.Add($"({N(above)})*{rest}"); break;
            }
        }
        if (layer.Transition?.Out is { } @out && IsSlide(@out))
        {
            var d = Math.Min(@out.Seconds, Length);
            var gone = Ease(Easing.EaseIn, Progress(time, Length - d, d));
            switch (@out.Type)
            {
                case TransitionType.SlideLeft: sx.Add($"({N(left)})*{gone}"); break;  // leaves to the left
                case TransitionType.SlideRight: sx.Add($"{N(right)}*{gone}"); break;
                case TransitionType.SlideUp: sy.Add($"({N(above)})*{gone}"); break;
                default: sy.Add($"{N(below)}*{gone}"); break;
            }
        }
        return (sx.Count == 0 ? "0" : "(" + string.Join('+', sx) + ")", sy.Count == 0 ? "0" : "(" + string.Join('+', sy) + ")");
    }
}
