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
        var output = await f.Engine.RenderAsync(new RenderJob(composition, new OutputSettings(OutputFormat.Mp4, 320, 240, 25, Quality.Draft), files, false),
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
            new OutputSettings(OutputFormat.Gif, 64, 64, 10, Quality.Draft), new Dictionary<AssetId, MediaFile>(), false), null, CancellationToken.None);
        Assert.Null(output.Qc!.IntegratedLufs);
        Assert.Null(output.Qc.TruePeakDb);
        Assert.Empty(output.Qc.BlackSegments);
        Assert.InRange(Assert.Single(output.Qc.FrozenSegments).End, 1.8, 2.1);
    }
}
