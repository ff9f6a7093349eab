using RenderOwl.Application.Common.Media;
using RenderOwl.Application.Rendering;
using RenderOwl.Domain.Common;
using RenderOwl.Domain.Rendering;

namespace RenderOwl.Rendering.Tests;

/// <summary>The same manifest renders to the same bytes: text, images, motion, captions and sound included.</summary>
public sealed class ReproducibilityTests(EngineFixture f) : IClassFixture<EngineFixture>
{
    [Theory]
    [InlineData(OutputFormat.Mp4)]
    [InlineData(OutputFormat.Webm)]
    [InlineData(OutputFormat.Gif)]
    public async Task Rendering_a_composition_twice_gives_identical_bytes_and_arguments(OutputFormat format)
    {
        var image = new AssetId(Guid.CreateVersion7());
        var tone = new AssetId(Guid.CreateVersion7());
        var composition = new Composition(2, "#101820",
        [
            new Layer { Type = LayerType.Image, AssetId = image, Start = 0, Effect = Effect.KenBurnsIn, Size = new Size(160, 120), Fit = Fit.Cover },
            new Layer { Type = LayerType.Text, Text = "Same bytes", Start = 0.2, Style = new TextStyle { FontSize = 24 }, Transition = new Transition(new TransitionStep(TransitionType.SlideUp, 0.5), null) },
            new Layer { Type = LayerType.Caption, Srt = "1\n00:00:00,000 --> 00:00:01,500\nA caption\n", Start = 0 },
            new Layer { Type = LayerType.Audio, AssetId = tone, Start = 0, AudioFadeIn = 0.5 },
        ]);
        var files = new Dictionary<AssetId, MediaFile> { [image] = new(f.HalvesPng, "image/png"), [tone] = new(f.ToneWav, "audio/wav") };
        var job = new RenderJob(composition, new OutputSettings(format, 320, 240, 10, Quality.Standard), files, false);
        var first = await f.Engine.RenderAsync(job, null, CancellationToken.None);
        var second = await f.Engine.RenderAsync(job, null, CancellationToken.None);
        Assert.Equal(first.Sha256, second.Sha256);
        Assert.Equal(first.Engine!.Arguments, second.Engine!.Arguments);
        Assert.Contains("{output}", first.Engine.Arguments);
        Assert.Contains("{asset:" + image + "}", first.Engine.Arguments);
        Assert.DoesNotContain(first.Engine.Arguments, a => a.Contains(f.Folder, StringComparison.Ordinal)); // no run's own path
        Assert.Matches(@"^\d+\.\d+", first.Engine.FfmpegVersion);
    }
}
