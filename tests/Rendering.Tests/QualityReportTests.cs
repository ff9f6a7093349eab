using RenderOwl.Application.Common.Media;
using RenderOwl.Application.Rendering;
using RenderOwl.Domain.Common;
using RenderOwl.Domain.Rendering;

namespace RenderOwl.Rendering.Tests;

/// <summary>The quality report measured on every output: loudness, black, silent and frozen stretches.</summary>
public sealed class QualityReportTests(EngineFixture f) : IClassFixture<EngineFixture>
{
    private static readonly AssetId Moving = new(Guid.CreateVersion7());
    private static readonly AssetId Tone = new(Guid.CreateVersion7());

    [Fact]
    public async Task A_black_start_and_a_silent_gap_are_reported_with_the_loudness()
    {
        var composition = new Composition(4, "#000000",
        [
            new Layer { Type = LayerType.Video, AssetId = Moving, Start = 2, Duration = 2 },   // black for the first 2 s
            new Layer { Type = LayerType.Audio, AssetId = Tone, Start = 0, Duration = 1 },
            new Layer { Type = LayerType.Audio, AssetId = Tone, Start = 2, Duration = 2 },     // silent from 1 s to 2 s
        ]);
        var files = new Dictionary<AssetId, MediaFile> { [Moving] = new(f.MovingMp4, "video/mp4"), [Tone] = new(f.ToneWav, "audio/wav") };
        var output = await f.Engine.RenderAsync(new RenderJob(composition, new OutputSettings(OutputFormat.Mp4, 320, 240, 25, Quality.Standard), files, false),
            null, CancellationToken.None);

        var qc = output.Qc!;
        var black = Assert.Single(qc.BlackSegments);
        Assert.InRange(black.Start, 0, 0.05);
        Assert.InRange(black.End, 1.9, 2.1);
        var silent = Assert.Single(qc.SilentSegments);
        Assert.InRange(silent.Start, 0.95, 1.1);
        Assert.InRange(silent.End, 1.9, 2.1);
        Assert.DoesNotContain(qc.FrozenSegments, s => s.End > 2.2); // the moving pattern is not frozen; the black start is
        Assert.InRange(qc.IntegratedLufs!.Value, -30, -10);
        Assert.InRange(qc.TruePeakDb!.Value, -25, 0);
    }

    [Fact]
    public async Task A_silent_gif_has_no_loudness_and_a_still_is_one_frozen_stretch()
    {
        var output = await f.Engine.RenderAsync(new RenderJob(new Composition(2, "#ffffff", []),
            new OutputSettings(OutputFormat.Gif, 64, 64, 10, Quality.Standard), new Dictionary<AssetId, MediaFile>(), false), null, CancellationToken.None);
        Assert.Null(output.Qc!.IntegratedLufs);
        Assert.Null(output.Qc.TruePeakDb);
        Assert.Empty(output.Qc.BlackSegments);
        Assert.InRange(Assert.Single(output.Qc.FrozenSegments).End, 1.8, 2.1);
    }
}

/// <summary><c>output_settings.range</c>: only that part of the timeline is rendered, picture and sound.</summary>
public sealed class RangeTests(EngineFixture f) : IClassFixture<EngineFixture>
{
    [Fact]
    public async Task A_range_renders_only_its_part_of_the_timeline()
    {
        var tone = new AssetId(Guid.CreateVersion7());
        var composition = new Composition(4, "#000000",
        [
            new Layer { Type = LayerType.Color, Color = "#ff0000", Start = 0, Duration = 2 },
            new Layer { Type = LayerType.Color, Color = "#0000ff", Start = 2 },
            new Layer { Type = LayerType.Audio, AssetId = tone, Start = 2 },   // sound from 2 s on
        ]);
        var settings = new OutputSettings(OutputFormat.Mp4, 160, 120, 10, Quality.Standard) { Range = new TimeRange(1.5, 1) };
        var output = await f.Engine.RenderAsync(new RenderJob(composition, settings, new Dictionary<AssetId, MediaFile> { [tone] = new(f.ToneWav, "audio/wav") }, false),
            null, CancellationToken.None);
        Assert.InRange(output.Probe.DurationSeconds!.Value, 0.95, 1.1);
        var file = f.Storage.LocalPath(output.StorageKey);
        Colour.Near(EngineFixture.FrameAt(file, 0.19, 160, 120)[80, 60], (255, 0, 0));   // timeline 1.7 s
        Colour.Near(EngineFixture.FrameAt(file, 0.79, 160, 120)[80, 60], (0, 0, 255));   // timeline 2.3 s
        Assert.True(EngineFixture.MeanVolumeDb(file, 0, 0.4) < -60, "silent before the timeline's 2 s");
        Assert.True(EngineFixture.MeanVolumeDb(file, 0.6, 0.3) > -40, "the tone after it");
        var silent = Assert.Single(output.Qc!.SilentSegments); // the report is of the range, on the output's clock
        Assert.InRange(silent.End, 0.45, 0.6);
    }
}
