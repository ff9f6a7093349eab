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
internal sealed class FfmpegGraph
{
    private readonly RenderJob _job;
    private readonly string _scratchFolder;
    private readonly RenderingOptions _options;
    private readonly IReadOnlySet<AssetId>? _withSound;
    private readonly List<string> _args = ["-hide_banner", "-nostdin", "-y", "-loglevel", "error", "-progress", "pipe:1", "-nostats"];
    private readonly StringBuilder _graph = new();
    private readonly Dictionary<string, byte[]> _files = [];
    private readonly List<string> _audio = [];
    private readonly List<(double From, double To)> _voices;
    private Dictionary<string, SkiaSharp.SKTypeface>? _uploadedFonts;
    private int _input;
    private int _step;
    private string _current = "[0:v]";

    public FfmpegGraph(RenderJob job, string scratchFolder, RenderingOptions options, IReadOnlySet<AssetId>? withSound)
    {
        (_job, _scratchFolder, _options, _withSound) = (job, scratchFolder, options, withSound);
        var (c, o) = (job.Composition, job.Output);
        _args.AddRange(["-f", "lavfi", "-i", $"color=c={Color(c.Background)}:s={o.Width}x{o.Height}:r={o.Fps}:d={Num(c.Seconds)}"]);
        _input++;
        // Where the ducking role sounds: every layer of that role that brings sound, by its span on the timeline.
        _voices = c.Ducking is { } ducking
            ? AudioTracks.Spans(c.Layers.Where(l => l.Type is LayerType.Audio or LayerType.Video && (l.Role ?? AudioRole.Effect) == ducking.Under && l.Muted != true)
                .Select(l => (l.Start, l.EndWithin(c.Seconds))).Where(s => s.Item2 > s.Start))
            : [];
    }

    private OutputSettings Output => _job.Output;

    public void Add(Layer layer)
    {
        var start = layer.Start;
        var end = layer.EndWithin(_job.Composition.Seconds);
        if (end <= start)
        {
            return;
        }
        var length = end - start;
        switch (layer.Type)
        {
            case LayerType.Color:
                var (cw, ch) = LayerGeometry.Box(layer, Output);
                Visual(layer, start, end, ["-f", "lavfi", "-i", $"color=c={Color(layer.Color!)}:s={cw}x{ch}:r={Output.Fps}:d={Num(length)}"], "", (cw, ch), fitted: false, LayerGeometry.TopLeft);
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
                    $"fps={Output.Fps},", box, fitted: false, LayerGeometry.TopLeft);
                break;
            case LayerType.Text:
                var text = TextPainter.Paint(layer, Output.Width, Output.Height, UploadedFont);
                Visual(layer, start, end, Painted(text.Png), Still(length), (text.Width, text.Height), fitted: false, LayerGeometry.Centre);
                break;
            case LayerType.Image:
                // One decoded frame repeated by the loop filter: an unreadable file fails at once instead of
                // being re-read forever by the image demuxer's own looping.
                Visual(layer, start, end, Open(_job, layer, _options), Still(length), LayerGeometry.Box(layer, Output), fitted: true, LayerGeometry.TopLeft);
                break;
            case LayerType.Video:
                var video = _input;
                var speed = layer.Speed is { } sp && Math.Abs(sp - 1) > 1e-9 ? $"setpts=PTS/{Num(sp)}," : "";
                Visual(layer, start, end, [.. AudioTracks.InputWindow(layer, length), .. Open(_job, layer, _options)],
                    $"{speed}fps={Output.Fps},", LayerGeometry.Box(layer, Output), fitted: true, LayerGeometry.TopLeft);
                if (Output.Format != OutputFormat.Gif && layer.Muted != true && (layer.Volume ?? 1) > 0 && _withSound?.Contains(layer.AssetId!.Value) == true)
                {
                    // The clip's own sound, trimmed like its picture by the input's -ss/-t.
                    _audio.Add(AudioTracks.Track(_graph, video, layer, start, end, _audio.Count, _voices, _job.Composition.Ducking));
                }
                break;
            case LayerType.Audio when Output.Format != OutputFormat.Gif: // a GIF has no sound
                _args.AddRange([.. AudioTracks.InputWindow(layer, length), .. Open(_job, layer, _options)]);
                _audio.Add(AudioTracks.Track(_graph, _input, layer, start, end, _audio.Count, _voices, _job.Composition.Ducking));
                _input++;
                break;
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
    private string Still(double length) => $"loop=loop=-1:size=1:start=0,setpts=N/({Output.Fps}*TB),trim=duration={Num(length)},";

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
    private void Visual(Layer layer, double start, double end, IEnumerable<string> inputArgs, string source, (int W, int H) box, bool fitted, Position whenUnset)
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
            $"[{_input}:v]{source}{shape}{motion.Effect()}{motion.Filter()}{Opacity(layer)}{motion.KeyframedOpacity(commands, _step)}{motion.Transitions()}{motion.Transform()}setpts=PTS-STARTPTS+{Num(start)}/TB{label};");
        _graph.Append(CultureInfo.InvariantCulture, $"{_current}{label}overlay=x={ox}:y={oy}:eof_action=pass:{Enable(start, end)}{next};");
        _input++;
        _current = next;
    }

    private static string Num(double value) => FfmpegCommandBuilder.N(value);

    private static string Enable(double start, double end) => $"enable='between(t,{Num(start)},{Num(end)})'";

    public FfmpegCommand Finish(string outputPath)
    {
        if (_job.Watermark)
        {
            var size = Math.Max(14, Output.Height / 12);
            _graph.Append(CultureInfo.InvariantCulture,
                $"{_current}drawtext=fontfile={SafePath(_options.FontFile)}:text='{WatermarkText}':fontsize={size}:fontcolor=white@0.75:box=1:boxcolor=black@0.45:boxborderw={size / 3}:x=(w-text_w)/2:y=h-text_h-h/12[vwm];");
            _current = "[vwm]";
        }
        // The quality report is measured on the finished picture and mix in this same pass (QualityCheck): a copy of each
        // goes through the detectors, which write what they find to files the engine reads afterwards.
        var videoReport = Path.Combine(_scratchFolder, "qc-video.txt");
        // output_settings.range: the timeline is built whole and only its part is kept, picture and sound alike.
        var (from, length) = (Output.Range?.Start ?? 0, Output.OutputSeconds(_job.Composition.Seconds));
        var part = Output.Range is null ? "" : $"trim=start={Num(from)}:duration={Num(length)},setpts=PTS-STARTPTS,";
        _graph.Append(CultureInfo.InvariantCulture, $"{_current}{part}split[vfinal][qcv];[qcv]{QualityCheck.VideoChain(SafePath(videoReport))};");
        _current = "[vfinal]";
        _graph.Append(Output.Format == OutputFormat.Gif
            ? _current + "split[g1][g2];[g1]palettegen=stats_mode=diff[pal];[g2][pal]paletteuse=dither=bayer:bayer_scale=4[vout]"
            : _current + "format=yuv420p[vout]");
        var hasAudio = _audio.Count > 0 && Output.Format != OutputFormat.Gif;
        if (hasAudio)
        {
            var audioReport = Path.Combine(_scratchFolder, "qc-audio.txt");
            _graph.Append(CultureInfo.InvariantCulture,
                $";{string.Concat(_audio)}amix=inputs={_audio.Count}:normalize=0:duration=longest,apad,atrim=start={Num(from)}:duration={Num(length)},asetpts=PTS-STARTPTS,asplit[aout][qca];[qca]{QualityCheck.AudioChain(SafePath(audioReport))}");
        }
        _args.AddRange(["-filter_complex", _graph.ToString(), "-map", "[vout]"]);
        if (hasAudio)
        {
            _args.AddRange(["-map", "[aout]"]);
        }
        _args.AddRange(["-t", Num(length), "-r", Output.Fps.ToString(CultureInfo.InvariantCulture)]);
        if (_options.Threads > 0)
        {
            _args.AddRange(["-threads", _options.Threads.ToString(CultureInfo.InvariantCulture)]);
        }
        _args.AddRange(Encoder(Output, hasAudio));
        // Reproducible bytes: a fixed encoder thread count (x264 and libvpx vary with it), no version strings, timestamps
        // or metadata from the inputs in the container.
        _args.AddRange(["-threads:v", _options.EncoderThreads.ToString(CultureInfo.InvariantCulture),
            "-fflags", "+bitexact", "-flags:v", "+bitexact", "-flags:a", "+bitexact", "-map_metadata", "-1", "-map_chapters", "-1"]);
        _args.Add(outputPath);
        return new FfmpegCommand(_args, _files) { QualityReports = hasAudio ? [videoReport, Path.Combine(_scratchFolder, "qc-audio.txt")] : [videoReport] };
    }
}
