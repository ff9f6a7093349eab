using System.Globalization;
using RenderOwl.Domain.Rendering;
using static RenderOwl.Infrastructure.Rendering.FfmpegCommandBuilder;

namespace RenderOwl.Infrastructure.Rendering;

/// <summary>The end of the command: the picture's last filters, the mix, the maps, the encoder and the reproducibility flags.</summary>
internal sealed partial class FfmpegGraph
{
    public FfmpegCommand Finish(string outputPath)
    {
        var (from, length) = (Output.TimelineStart, Output.OutputSeconds(_job.Composition.Seconds));
        var videoReport = Path.Combine(_scratchFolder, "qc-video.txt");
        var audioReport = Path.Combine(_scratchFolder, "qc-audio.txt");
        var picture = Output.Format != OutputFormat.Mp3 && !_soundOnly;
        if (picture)
        {
            FinishPicture(from, length, videoReport);
        }
        var hasAudio = _soundOnly || (Output.HasSound && (_audio.Count > 0 || Output.Format == OutputFormat.Mp3));
        if (hasAudio)
        {
            if (_audio.Count == 0)
            {
                // An MP3 of a composition with nothing that sounds: silence for its length.
                _args.AddRange(["-f", "lavfi", "-i", $"anullsrc=r=48000:cl=stereo:d={Num(_job.Composition.Seconds)}"]);
                _audio.Add($"[{_input++}:a]");
            }
            if (_graph.Length > 0 && _graph[^1] != ';')
            {
                _graph.Append(';');
            }
            _graph.Append(CultureInfo.InvariantCulture,
                $"{string.Concat(_audio)}amix=inputs={_audio.Count}:normalize=0:duration=longest,apad,atrim=start={Num(from)}:duration={Num(length)},asetpts=PTS-STARTPTS,asplit[aout][qca];[qca]{QualityCheck.AudioChain(SafePath(audioReport))}");
        }
        _args.AddRange(["-filter_complex", _graph.ToString().TrimEnd(';')]);
        if (picture)
        {
            _args.AddRange(["-map", "[vout]"]);
        }
        if (hasAudio)
        {
            _args.AddRange(["-map", "[aout]"]);
        }
        _args.AddRange(Output.IsStill ? ["-frames:v", "1", "-update", "1"] : ["-t", Num(length)]);
        if (picture && Output.IsVideo)
        {
            _args.AddRange(["-r", Rate]);
        }
        if (_options.Threads > 0)
        {
            _args.AddRange(["-threads", _options.Threads.ToString(CultureInfo.InvariantCulture)]);
        }
        _args.AddRange(_soundOnly ? SoundEncoder(Output) : Encoder(Output, hasAudio));
        // Reproducible bytes: a fixed encoder thread count (x264 and libvpx vary with it), no version strings, timestamps
        // or metadata from the inputs in the container.
        _args.AddRange(["-threads:v", _options.EncoderThreads.ToString(CultureInfo.InvariantCulture),
            "-fflags", "+bitexact", "-flags:v", "+bitexact", "-flags:a", "+bitexact", "-map_metadata", "-1", "-map_chapters", "-1"]);
        _args.Add(outputPath);
        List<string> reports = [.. picture && Output.IsVideo ? [videoReport] : Array.Empty<string>(), .. hasAudio ? [audioReport] : Array.Empty<string>()];
        return new FfmpegCommand(_args, _files) { QualityReports = reports };
    }

    /// <summary>
    /// The end of the picture: the watermark, the part of the timeline kept (<c>range</c>, or the still's moment), a draft's
    /// half size and mark, the quality detectors' copy (moving pictures only), and the pixel format of the output.
    /// </summary>
    private void FinishPicture(double from, double length, string videoReport)
    {
        if (_job.Watermark)
        {
            var size = Math.Max(14, Output.Height / 12);
            _graph.Append(CultureInfo.InvariantCulture,
                $"{_current}drawtext=fontfile={SafePath(_options.FontFile)}:text='{WatermarkText}':fontsize={size}:fontcolor=white@0.75:box=1:boxcolor=black@0.45:boxborderw={size / 3}:x=(w-text_w)/2:y=h-text_h-h/12[vwm];");
            _current = "[vwm]";
        }
        // output_settings.range (or a still's moment): the timeline is built whole and only its part is kept, picture and sound alike.
        var part = Output.IsStill ? $"trim=start={Num(from)},setpts=PTS-STARTPTS,"
            : Output.Range is null ? "" : $"trim=start={Num(from)}:duration={Num(length)},setpts=PTS-STARTPTS,";
        var draft = "";
        if (Output.IsDraft)
        {
            // Laid out at the full size, so every position and font size is the standard render's, then halved and marked.
            var (w, h) = Output.EncodedSize;
            var size = Math.Max(10, h / 10);
            draft = $"scale={w}:{h}:flags=bilinear,drawtext=fontfile={SafePath(_options.FontFile)}:text='DRAFT':fontsize={size}:fontcolor=white@0.8:box=1:boxcolor=black@0.5:boxborderw={Math.Max(2, size / 4)}:x=w-text_w-{size / 2}:y={size / 2},";
        }
        var pixels = Output.Format switch
        {
            OutputFormat.MovAlpha => "format=yuva444p10le",
            OutputFormat.Png => _job.Composition.Background == "transparent" ? "format=rgba" : "format=rgb24",
            OutputFormat.Jpg => "format=yuvj444p",
            _ => "format=yuv420p",
        };
        if (Output.IsStill)
        {
            _graph.Append(CultureInfo.InvariantCulture, $"{_current}{part}{draft}{pixels}[vout];");
            return;
        }
        // The quality report is measured on the finished picture and mix in this same pass (QualityCheck): a copy of each
        // goes through the detectors, which write what they find to files the engine reads afterwards.
        _graph.Append(CultureInfo.InvariantCulture, $"{_current}{part}{draft}split[vfinal][qcv];[qcv]{QualityCheck.VideoChain(SafePath(videoReport))};");
        _graph.Append(Output.Format == OutputFormat.Gif
            ? "[vfinal]split[g1][g2];[g1]palettegen=stats_mode=diff[pal];[g2][pal]paletteuse=dither=bayer:bayer_scale=4[vout];"
            : $"[vfinal]{pixels}[vout];");
    }
}
