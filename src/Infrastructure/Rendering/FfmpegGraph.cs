using System.Globalization;
using System.Text;
using RenderOwl.Application.Rendering;
using RenderOwl.Domain.Common;
using RenderOwl.Domain.Rendering;
using RenderOwl.Infrastructure.Media;
using RenderOwl.Infrastructure.Rendering.Drawing;
using static RenderOwl.Infrastructure.Rendering.FfmpegCommandBuilder;

namespace RenderOwl.Infrastructure.Rendering;

/// <summary>
/// The command being built for one composition: inputs, the <c>-filter_complex</c> graph, the images drawn for text
/// and shape layers, the sound tracks. A background colour first; each layer overlays the picture so far (or adds a sound track);
/// <see cref="Finish"/> adds the watermark, the output format and the encoder.
/// </summary>
internal sealed partial class FfmpegGraph
{
    private readonly RenderJob _job;
    private readonly string _scratchFolder;
    private readonly RenderingOptions _options;
    private readonly IReadOnlySet<AssetId>? _withSound;
    private readonly bool _soundOnly;
    private readonly List<string> _args = ["-hide_banner", "-nostdin", "-y", "-loglevel", "error", "-progress", "pipe:1", "-nostats"];
    private readonly StringBuilder _graph = new();
    private readonly Dictionary<string, byte[]> _files = [];
    private readonly List<string> _audio = [];
    private readonly List<(double From, double To)> _voices;
    private Dictionary<string, SkiaSharp.SKTypeface>? _uploadedFonts;
    private int _input;
    private int _step;
    private string _current = "[0:v]";

    /// <summary>The graph of <paramref name="job"/>, its drawn images written under <paramref name="scratchFolder"/>.</summary>
    /// <param name="job">What is rendered.</param>
    /// <param name="scratchFolder">Where the images drawn for text, shapes and captions go.</param>
    /// <param name="options">The engine's settings.</param>
    /// <param name="withSound">The video assets that have an audio stream.</param>
    /// <param name="soundOnly">Only the mix, in the output format's sound codec (the sound of a segmented render, made once for the whole timeline).</param>
    public FfmpegGraph(RenderJob job, string scratchFolder, RenderingOptions options, IReadOnlySet<AssetId>? withSound, bool soundOnly = false)
    {
        (_job, _scratchFolder, _options, _withSound, _soundOnly) = (job, scratchFolder, options, withSound, soundOnly);
        var (c, o) = (job.Composition, job.Output);
        if (o.Format != OutputFormat.Mp3 && !soundOnly) // sound only: no picture at all
        {
            // The picture starts where the output does (range, segment, still): frames before it are never composed. The
            // shift is made in the graph (ffmpeg moves every input's own start to 0).
            var (from, length) = (o.TimelineStart, o.OutputSeconds(c.Seconds));
            _args.AddRange(["-f", "lavfi", "-i", $"color=c={Background(c.Background)}:s={o.Width}x{o.Height}:r={Rate}:d={Num(Math.Min(c.Seconds - from, length + 1))}{(KeepsAlpha ? ",format=rgba" : "")}"]); // an alpha-keeping output asks the source itself for RGBA (lavfi would hand on no alpha)
            _input++;
            var shift = from > 0 ? $"setpts=PTS+{Num(from)}/TB," : "";
            var alpha = KeepsAlpha ? "format=yuva444p," : ""; // a picture with an alpha channel from the start: each overlay keeps it and adds the layer's
            if (shift.Length + alpha.Length > 0)
            {
                _graph.Append($"[0:v]{shift}{alpha}".TrimEnd(',') + "[bg];");
                _current = "[bg]";
            }
        }
        // Where the ducking role sounds: every layer of that role that brings sound, by its span on the timeline.
        _voices = c.Ducking is { } ducking
            ? AudioTracks.Spans(c.Layers.Where(l => l.Type is LayerType.Audio or LayerType.Video && (l.Role ?? AudioRole.Effect) == ducking.Under && l.Muted != true)
                .Select(l => (l.Start, l.EndWithin(c.Seconds))).Where(s => s.Item2 > s.Start))
            : [];
    }

    private OutputSettings Output => _job.Output;

    /// <summary>Whether anything added so far brings sound to the mix.</summary>
    public bool HasSound => _audio.Count > 0;

    /// <summary>The rendered frame rate as ffmpeg reads it: whole numbers as they are, 29.97 as 30000/1001.</summary>
    private string Rate => FfmpegCommandBuilder.Rate(Output.RenderFps);

    /// <summary>Formats whose picture keeps transparency: ProRes 4444 and PNG.</summary>
    private bool KeepsAlpha => Output.Format is OutputFormat.MovAlpha or OutputFormat.Png;

    private static string Background(string background) => background == "transparent" ? "0x000000@0" : Color(background);

    public void Add(Layer layer)
    {
        var start = layer.Start;
        var end = layer.EndWithin(_job.Composition.Seconds);
        if (end <= start)
        {
            return;
        }
        var length = end - start;
        var from = Output.TimelineStart;
        if (end <= from || start >= from + Output.OutputSeconds(_job.Composition.Seconds) + 1)
        {
            return; // wholly outside the part rendered
        }
        if (Output.Format == OutputFormat.Mp3 || _soundOnly)
        {
            AddSound(layer, start, end, length);
            return;
        }
        switch (layer.Type)
        {
            case LayerType.Color:
                var (cw, ch) = LayerGeometry.Box(layer, Output);
                Visual(layer, start, end, ["-f", "lavfi", "-i", $"color=c={Color(layer.Color!)}:s={cw}x{ch}:r={Rate}:d={Num(length)}"], "", (cw, ch), fitted: false, LayerGeometry.TopLeft);
                break;
            case LayerType.Shape:
                var (sw, sh) = LayerGeometry.Box(layer, Output);
                Visual(layer, start, end, Painted(ShapePainter.Paint(layer, sw, sh)), Still(length), (sw, sh), fitted: false, LayerGeometry.TopLeft);
                break;
            case LayerType.Caption:
                var captioned = layer with
                {
                    Position = layer.Position ?? new Position(Coordinate.PercentOf(50), Coordinate.PercentOf(95)),
                    Anchor = layer.Anchor ?? (layer.Position is null ? "bottom" : null),
                };
                var box = CaptionPainter.Box(layer, Output.Width, Output.Height);
                var cues = CaptionTrack.Cues(layer, _job);
                Visual(captioned, start, end, CaptionTrack.Input(layer, cues, length, box, Output.Height, _scratchFolder, _input, _files, UploadedFont),
                    $"fps={Rate},", box, fitted: false, LayerGeometry.TopLeft);
                break;
            case LayerType.Text:
                var text = TextPainter.Paint(layer, Output.Width, Output.Height, UploadedFont);
                Visual(layer, start, end, Painted(text.Png), Still(length), (text.Width, text.Height), fitted: false, LayerGeometry.Centre);
                break;
            case LayerType.Image:
                // One decoded frame repeated by the loop filter: an unreadable file fails at once instead of
                // being re-read forever by the image demuxer's own looping.
                // Cropped and fitted once, then held: the loop repeats the fitted picture, not the source to be scaled again each frame.
                Visual(layer, start, end, Open(_job, layer, _options), "", LayerGeometry.Box(layer, Output), fitted: true, LayerGeometry.TopLeft, held: true);
                break;
            case LayerType.Video:
                var video = _input;
                var speed = layer.Speed is { } sp && Math.Abs(sp - 1) > 1e-9 ? $"setpts=PTS/{Num(sp)}," : "";
                Visual(layer, start, end, [.. AudioTracks.InputWindow(layer, length), .. Open(_job, layer, _options)],
                    $"{speed}fps={Rate},", LayerGeometry.Box(layer, Output), fitted: true, LayerGeometry.TopLeft);
                if (Output.HasSound && Sounds(layer))
                {
                    // The clip's own sound, trimmed like its picture by the input's -ss/-t.
                    _audio.Add(AudioTracks.Track(_graph, video, layer, start, end, _audio.Count, _voices, _job.Composition.Ducking));
                }
                break;
            case LayerType.Audio when Output.HasSound: // a GIF or a still has no sound
                _args.AddRange([.. AudioTracks.InputWindow(layer, length), .. Open(_job, layer, _options)]);
                _audio.Add(AudioTracks.Track(_graph, _input, layer, start, end, _audio.Count, _voices, _job.Composition.Ducking));
                _input++;
                break;
        }
    }

    /// <summary>A video layer whose clip brings sound to the mix.</summary>
    private bool Sounds(Layer layer) => layer.Muted != true && (layer.Volume ?? 1) > 0 && _withSound?.Contains(layer.AssetId!.Value) == true;

    /// <summary>MP3: only what sounds is read — audio layers and the sound of video layers; pictures are not decoded.</summary>
    private void AddSound(Layer layer, double start, double end, double length)
    {
        if (layer.Type == LayerType.Audio || (layer.Type == LayerType.Video && Sounds(layer)))
        {
            _args.AddRange([.. AudioTracks.InputWindow(layer, length), .. Open(_job, layer, _options)]);
            _audio.Add(AudioTracks.Track(_graph, _input, layer, start, end, _audio.Count, _voices, _job.Composition.Ducking));
            _input++;
        }
    }

    /// <summary>The typeface of an uploaded font the composition lists, by its family name; null for the built-in families.</summary>
    private SkiaSharp.SKTypeface? UploadedFont(string family)
    {
        if (_uploadedFonts is null)
        {
            _uploadedFonts = new Dictionary<string, SkiaSharp.SKTypeface>(StringComparer.OrdinalIgnoreCase);
            foreach (var font in _job.Composition.Fonts ?? [])
            {
                if (_job.AssetFiles.TryGetValue(font.AssetId, out var file) && Fonts.File(file.Path) is { } face)
                {
                    _uploadedFonts.TryAdd(face.FamilyName, face);
                }
            }
        }
        return _uploadedFonts.GetValueOrDefault(family);
    }

    /// <summary>A single picture held for the layer's length.</summary>
    private string Still(double length) => $"loop=loop=-1:size=1:start=0,setpts=N/(({Rate})*TB),trim=duration={Num(length)},";

    /// <summary>An image drawn here (text, shape): written beside the render's other scratch files and read as a PNG.</summary>
    private IEnumerable<string> Painted(byte[] png)
    {
        var file = Path.Combine(_scratchFolder, $"paint-{_input}.png");
        _files[file] = png;
        return MediaFormats.Open(new Application.Common.Media.MediaFile(file, "image/png"), _options.MaxImagePixels);
    }

    /// <summary>
    /// An input turned into a layer: <paramref name="source"/> (frames for the layer's length), then for media its crop and
    /// fit into the box, then opacity, fades and rotation; laid over the picture so far at its place from its start.
    /// </summary>
    private void Visual(Layer layer, double start, double end, IEnumerable<string> inputArgs, string source, (int W, int H) box, bool fitted, Position whenUnset,
        bool held = false)
    {
        var (label, next) = ($"[l{++_step}]", $"[v{_step}]");
        _args.AddRange(inputArgs);
        var (w, h) = box;
        var shape = fitted ? $"{LayerFilters.Crop(layer.Crop)}format=rgba,{LayerFilters.Fit(layer.Fit ?? Fit.Contain, w, h)}" : "format=rgba,";
        var (x, y, fx, fy) = LayerGeometry.Place(layer, w, h, Output, whenUnset);
        var motion = new LayerMotion(layer, start, end, w, h, x, y, fx, fy, Output);
        string? commands = null;
        if (motion.OpacityCommands(_step) is { } script)
        {
            commands = Path.Combine(_scratchFolder, $"opacity-{_step}.cmd");
            _files[commands] = System.Text.Encoding.UTF8.GetBytes(script);
        }
        var (ox, oy) = motion.Overlay();
        _graph.Append(CultureInfo.InvariantCulture,
            $"[{_input}:v]{(held ? shape + Still(end - start) : source + shape)}{motion.Effect()}{motion.Filter()}{Opacity(layer)}{motion.KeyframedOpacity(commands, _step)}{motion.Transitions()}{motion.Transform()}setpts=PTS-STARTPTS+{Num(start)}/TB{label};");
        _graph.Append(CultureInfo.InvariantCulture, $"{_current}{label}overlay=x={ox}:y={oy}:eof_action=pass:{(KeepsAlpha ? "format=yuv444:" : "")}{Enable(start, end)}{next};");
        _input++;
        _current = next;
    }

    private static string Num(double value) => FfmpegCommandBuilder.N(value);

    private static string Enable(double start, double end) => $"enable='between(t,{Num(start)},{Num(end)})'";
}
