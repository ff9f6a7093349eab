using System.Globalization;
using System.Text.RegularExpressions;

namespace RenderOwl.Application.Rendering;

/// <summary>One caption: shown from <see cref="Start"/> to <see cref="End"/> (seconds), its text without markup.</summary>
public sealed record Cue(double Start, double End, string Text);

/// <summary>A subtitle file's problem, by line (1-based).</summary>
public sealed record SubtitleError(int Line, string Message);

/// <summary>
/// SRT and WebVTT: told apart by content (<c>WEBVTT</c> first), read into cues. Styling markup (<c>&lt;i&gt;</c>,
/// <c>{\an8}</c>) is dropped, the words kept; VTT's NOTE, STYLE and REGION blocks and cue settings are ignored.
/// </summary>
public static partial class Subtitles
{
    public const int MaxBytes = 1024 * 1024;

    [GeneratedRegex(@"^\s*(?:(\d+):)?(\d{1,2}):(\d{2})[,.](\d{1,3})\s*-->\s*(?:(\d+):)?(\d{1,2}):(\d{2})[,.](\d{1,3})(?:\s.*)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Timing();

    [GeneratedRegex(@"<[^>]*>|\{\\[^}]*\}", RegexOptions.CultureInvariant)]
    private static partial Regex Markup();

    public static bool IsVtt(string text) => text.TrimStart('\uFEFF').StartsWith("WEBVTT", StringComparison.Ordinal);

    /// <summary>Whether the text reads as SRT or WebVTT: a VTT header, or a first cue whose timing line parses.</summary>
    public static bool LooksLikeSubtitles(string text)
    {
        if (IsVtt(text))
        {
            return true;
        }
        var lines = text.TrimStart('\uFEFF').Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n').Where(l => l.Trim().Length > 0).Take(2).ToList();
        return lines.Count == 2 && int.TryParse(lines[0].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out _) && Timing().IsMatch(lines[1]);
    }

    /// <summary>The cues in time order; <paramref name="errors"/> gets every line that could not be read.</summary>
    public static List<Cue> Parse(string text, List<SubtitleError> errors)
    {
        var vtt = IsVtt(text);
        var lines = text.TrimStart('\uFEFF').Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Split('\n');
        var cues = new List<Cue>();
        var i = vtt ? SkipBlock(lines, 0) : 0;
        while (i < lines.Length)
        {
            if (lines[i].Trim().Length == 0)
            {
                i++;
                continue;
            }
            var first = lines[i].Trim();
            if (vtt && (first.StartsWith("NOTE", StringComparison.Ordinal) || first.StartsWith("STYLE", StringComparison.Ordinal) || first.StartsWith("REGION", StringComparison.Ordinal)))
            {
                i = SkipBlock(lines, i);
                continue;
            }
            var timingLine = Timing().IsMatch(lines[i]) ? i : i + 1; // an SRT counter or a VTT identifier first
            if (timingLine >= lines.Length || Timing().Match(lines[timingLine]) is not { Success: true } timing)
            {
                errors.Add(new SubtitleError(Math.Min(timingLine, lines.Length - 1) + 1, "Expected a timing line like 00:00:01,000 --> 00:00:02,500."));
                i = SkipBlock(lines, i);
                continue;
            }
            var (start, end) = (Seconds(timing, 1), Seconds(timing, 5));
            if (end <= start)
            {
                errors.Add(new SubtitleError(timingLine + 1, "A cue must end after it starts."));
            }
            var body = new List<string>();
            var j = timingLine + 1;
            for (; j < lines.Length && lines[j].Trim().Length > 0; j++)
            {
                body.Add(Markup().Replace(lines[j], "").Trim());
            }
            if (end > start)
            {
                cues.Add(new Cue(start, end, string.Join('\n', body.Where(b => b.Length > 0))));
            }
            i = j;
        }
        if (cues.Count == 0 && errors.Count == 0)
        {
            errors.Add(new SubtitleError(1, "No cue was found."));
        }
        return [.. cues.OrderBy(c => c.Start)];
    }

    private static int SkipBlock(string[] lines, int i)
    {
        while (i < lines.Length && lines[i].Trim().Length > 0)
        {
            i++;
        }
        return i;
    }

    private static double Seconds(Match m, int group)
    {
        var hours = m.Groups[group].Success ? int.Parse(m.Groups[group].Value, CultureInfo.InvariantCulture) : 0;
        var minutes = int.Parse(m.Groups[group + 1].Value, CultureInfo.InvariantCulture);
        var seconds = int.Parse(m.Groups[group + 2].Value, CultureInfo.InvariantCulture);
        var fraction = m.Groups[group + 3].Value.PadRight(3, '0');
        return (hours * 3600) + (minutes * 60) + seconds + (int.Parse(fraction, CultureInfo.InvariantCulture) / 1000.0);
    }
}
