using System.Globalization;
using RenderOwl.Domain.Rendering;

namespace RenderOwl.Infrastructure.Rendering;

/// <summary>
/// The quality report of an output, measured in the render's own ffmpeg pass on the finished picture and mix (a copy
/// of each, split off before encoding): EBU R128 integrated loudness and true peak (<c>ebur128</c>), and stretches of
/// 0.5 s or more that are black (<c>blackdetect</c>, pixels under 10 %), frozen (<c>freezedetect</c>, −60 dB of change)
/// or silent (<c>silencedetect</c>, under −50 dBFS). The detectors tag frames with what they find and
/// <c>metadata=print</c> writes those tags to a file per stream; a stretch still open at the end ends there.
/// </summary>
internal static class QualityCheck
{
    public const double MinSegmentSeconds = 0.5;

    /// <summary>The detectors of the picture, writing to <paramref name="file"/>, ending in a sink.</summary>
    public static string VideoChain(string file)
        => $"blackdetect=d={N(MinSegmentSeconds)}:pix_th=0.10,freezedetect=n=-60dB:d={N(MinSegmentSeconds)},metadata=mode=print:file={file},nullsink";

    /// <summary>The detectors of the mix, writing to <paramref name="file"/>, ending in a sink.</summary>
    public static string AudioChain(string file)
        => $"ebur128=peak=true:metadata=1,silencedetect=n=-50dB:d={N(MinSegmentSeconds)},ametadata=mode=print:file={file},anullsink";

    /// <summary>The report from the files the render's detectors wrote.</summary>
    public static async Task<QualityReport> ReadAsync(IReadOnlyList<string> files, bool audio, double duration)
    {
        var found = new Found();
        foreach (var file in files.Where(File.Exists))
        {
            using var reader = new StreamReader(file);
            await ReadAsync(reader, found);
        }
        return new QualityReport
        {
            IntegratedLufs = audio && found.Integrated is > -70 ? Math.Round(found.Integrated.Value, 1) : null,
            TruePeakDb = audio && found.TruePeak > 0 ? Math.Round(20 * Math.Log10(found.TruePeak), 1) : null,
            BlackSegments = found.Black.Close(duration),
            SilentSegments = found.Silent.Close(duration),
            FrozenSegments = found.Frozen.Close(duration),
        };
    }

    private static async Task ReadAsync(StreamReader reader, Found found)
    {
        string? line;
        while ((line = await reader.ReadLineAsync()) is not null)
        {
            var eq = line.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0 || !line.StartsWith("lavfi.", StringComparison.Ordinal)
                || !double.TryParse(line.AsSpan(eq + 1), NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                continue;
            }
            switch (line[..eq])
            {
                case "lavfi.black_start": found.Black.Start(value); break;
                case "lavfi.black_end": found.Black.End(value); break;
                case "lavfi.freezedetect.freeze_start": found.Frozen.Start(value); break;
                case "lavfi.freezedetect.freeze_end": found.Frozen.End(value); break;
                case "lavfi.silence_start": found.Silent.Start(value); break;
                case "lavfi.silence_end": found.Silent.End(value); break;
                case "lavfi.r128.I": found.Integrated = value; break; // the integrated loudness so far: the last is the whole file's
                case "lavfi.r128.true_peak": found.TruePeak = Math.Max(found.TruePeak, value); break;
            }
        }
    }

    private static string N(double value) => FfmpegCommandBuilder.N(value);

    private sealed class Found
    {
        public Segments Black { get; } = new();
        public Segments Silent { get; } = new();
        public Segments Frozen { get; } = new();
        public double? Integrated { get; set; }
        public double TruePeak { get; set; }
    }

    private sealed class Segments
    {
        private readonly List<TimeSegment> _done = [];
        private double? _open;

        public void Start(double at) => _open ??= Math.Max(0, at);

        public void End(double at)
        {
            if (_open is { } from && at - from >= MinSegmentSeconds - 1e-6)
            {
                _done.Add(new TimeSegment(Math.Round(from, 3), Math.Round(at, 3)));
            }
            _open = null;
        }

        public List<TimeSegment> Close(double duration)
        {
            if (_open is not null)
            {
                End(duration);
            }
            return _done;
        }
    }
}
