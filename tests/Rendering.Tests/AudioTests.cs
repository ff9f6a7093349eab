using RenderOwl.Application.Common.Media;
using RenderOwl.Application.Common.Errors;
using RenderOwl.Application.Rendering;
using RenderOwl.Domain.Common;
using RenderOwl.Domain.Rendering;

namespace RenderOwl.Rendering.Tests;

/// <summary>Fades, speed, trims, loops, volume keyframes and ducking, measured on the output's sound.</summary>
public sealed class AudioTests(EngineFixture f) : IClassFixture<EngineFixture>
{
    private static readonly AssetId Tone = new(Guid.CreateVersion7());
    private static readonly AssetId Voice = new(Guid.CreateVersion7());
    private static readonly AssetId Clip = new(Guid.CreateVersion7());

    /// <summary>The composition resolved as a submission is (media lengths known), rendered to a small MP4.</summary>
    private async Task<(string File, double Seconds)> RenderAsync(Composition composition)
    {
        var lengths = new Dictionary<AssetId, double> { [Tone] = 3, [Voice] = 1, [Clip] = 4 };
        var errors = new List<FieldError>();
        var resolved = Timeline.Resolve(composition, id => lengths[id], "composition", errors);
        Assert.Empty(errors);
        var files = new Dictionary<AssetId, MediaFile>
        {
            [Tone] = new(f.ToneWav, "audio/wav"), [Voice] = new(f.VoiceWav, "audio/wav"), [Clip] = new(f.ClipMp4, "video/mp4"),
        };
        var output = await f.Engine.RenderAsync(new RenderJob(resolved!, new OutputSettings(OutputFormat.Mp4, 64, 64, 10, Quality.Standard), files, false), null, CancellationToken.None);
        return (f.Storage.LocalPath(output.StorageKey), output.Probe.DurationSeconds!.Value);
    }

    [Fact]
    public async Task A_fade_in_starts_at_least_20_dB_below_its_level_and_a_fade_out_ends_there()
    {
        var (file, _) = await RenderAsync(new Composition(3, "#000000", [new Layer { Type = LayerType.Audio, AssetId = Tone, Start = 0, AudioFadeIn = 1, AudioFadeOut = 1 }]));
        var full = EngineFixture.MeanVolumeDb(file, 1.2, 0.5);
        Assert.True(EngineFixture.MeanVolumeDb(file, 0, 0.1) <= full - 20, "the first 100 ms are faded");
        Assert.True(EngineFixture.MeanVolumeDb(file, 2.88, 0.1) <= full - 20, "the last 100 ms are faded");
    }

    [Fact]
    public async Task Speed_2_halves_a_clips_duration_and_the_composition_ends_with_it()
    {
        var (_, seconds) = await RenderAsync(new Composition(null, "#000000", [new Layer { Type = LayerType.Audio, AssetId = Tone, Start = 0, Speed = 2 }]));
        Assert.InRange(seconds, 1.5 - 0.1, 1.5 + 0.1);
    }

    [Fact]
    public async Task Trim_duration_and_loop_decide_how_long_a_sound_lasts()
    {
        var (trimmed, trimmedSeconds) = await RenderAsync(new Composition(null, "#000000",
            [new Layer { Type = LayerType.Audio, AssetId = Tone, Start = 0.5, TrimStart = 0.5, TrimDuration = 1 }]));
        Assert.InRange(trimmedSeconds, 1.5 - 0.1, 1.5 + 0.1);
        Assert.True(EngineFixture.MeanVolumeDb(trimmed, 0.6, 0.8) > -40);

        var (looped, _) = await RenderAsync(new Composition(7, "#000000", [new Layer { Type = LayerType.Audio, AssetId = Tone, Start = 0, Loop = true }]));
        Assert.True(EngineFixture.MeanVolumeDb(looped, 5, 1) > -40, "a 3 s tone repeated still sounds at 5 s");
    }

    [Fact]
    public async Task Volume_keyframes_and_muted_video_are_heard_as_asked()
    {
        var (rising, _) = await RenderAsync(new Composition(3, "#000000", [new Layer
        {
            Type = LayerType.Audio, AssetId = Tone, Start = 0,
            Keyframes = new Keyframes { Volume = [new Keyframe(0, 0.05, null), new Keyframe(2, 1, null)] },
        }]));
        Assert.True(EngineFixture.MeanVolumeDb(rising, 0, 0.2) <= EngineFixture.MeanVolumeDb(rising, 2.2, 0.5) - 15);

        var (muted, _) = await RenderAsync(new Composition(2, "#000000", [new Layer { Type = LayerType.Video, AssetId = Clip, Start = 0, Muted = true }]));
        var probe = await f.Inspector.ProbeAsync(new MediaFile(muted, "video/mp4"), CancellationToken.None);
        Assert.Null(probe.AudioCodec); // its sound left out: no other layer brings any
    }

    [Fact]
    public async Task Ducking_lowers_the_music_by_the_amount_while_the_voice_plays_and_restores_it()
    {
        var (file, _) = await RenderAsync(new Composition(3, "#000000",
        [
            new Layer { Type = LayerType.Audio, AssetId = Tone, Start = 0, Role = AudioRole.Music },
            new Layer { Type = LayerType.Audio, AssetId = Voice, Start = 1, Role = AudioRole.Voice },
        ]) { Ducking = new Ducking(AudioRole.Voice, 12) });
        const string music = "bandpass=f=440:width_type=h:w=40"; // the 440 Hz music, without the 1 kHz voice
        var before = EngineFixture.MeanVolumeDb(file, 0.2, 0.6, music);
        var during = EngineFixture.MeanVolumeDb(file, 1.4, 0.5, music);   // voice 1–2 s, fully ducked from 1.3 s
        var after = EngineFixture.MeanVolumeDb(file, 2.4, 0.5, music);    // back up by 2.3 s
        Assert.InRange(before - during, 12 - 2, 12 + 2);
        Assert.InRange(after - before, -1, 1);
    }
}

/// <summary>Speed keeps the pitch: a 440 Hz tone at double speed is still 440 Hz.</summary>
public sealed class AudioPitchTests(EngineFixture f) : IClassFixture<EngineFixture>
{
    [Fact]
    public async Task Double_speed_keeps_the_tone_at_its_pitch()
    {
        var tone = new AssetId(Guid.CreateVersion7());
        var job = new RenderJob(new Composition(1.4, "#000000", [new Layer { Type = LayerType.Audio, AssetId = tone, Start = 0, Speed = 2 }]),
            new OutputSettings(OutputFormat.Mp4, 64, 64, 10, Quality.Standard), new Dictionary<AssetId, MediaFile> { [tone] = new(f.ToneWav, "audio/wav") }, false);
        var file = f.Storage.LocalPath((await f.Engine.RenderAsync(job, null, CancellationToken.None)).StorageKey);
        var at440 = EngineFixture.MeanVolumeDb(file, 0.2, 1, "bandpass=f=440:width_type=h:w=40");
        var at880 = EngineFixture.MeanVolumeDb(file, 0.2, 1, "bandpass=f=880:width_type=h:w=40");
        Assert.True(at440 > at880 + 15, $"440 Hz at {at440:0.0} dB, 880 Hz at {at880:0.0} dB: the pitch was kept");
    }
}
