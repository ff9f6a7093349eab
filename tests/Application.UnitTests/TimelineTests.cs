using System.Text.Json;
using RenderOwl.Application.Common.Errors;
using RenderOwl.Application.Common.Validation;
using RenderOwl.Application.Rendering;
using RenderOwl.Domain.Common;
using RenderOwl.Domain.Rendering;

namespace RenderOwl.Application.UnitTests;

/// <summary>Starts after other layers, media lengths, and a composition that ends with its last layer.</summary>
public sealed class TimelineTests
{
    static TimelineTests() => ValidationNaming.Configure();

    private static readonly AssetId Clip = new(Guid.Parse("0190a000-0000-7000-8000-000000000001"));
    private static readonly string ClipId = Clip.ToString();

    private static Composition Parse(string json)
    {
        var errors = CompositionParser.Parse(JsonDocument.Parse(json).RootElement, "composition", out var parsed);
        Assert.Empty(errors);
        return parsed!;
    }

    private static (Composition? Resolved, List<FieldError> Errors) Resolve(string json, double? clipSeconds = 10)
    {
        var errors = new List<FieldError>();
        return (Timeline.Resolve(Parse(json), id => id == Clip ? clipSeconds : null, "composition", errors), errors);
    }

    [Fact]
    public void After_starts_where_the_named_layer_ends_and_the_composition_ends_with_its_last_layer()
    {
        var (resolved, errors) = Resolve("""
            {"background": "#000000", "layers": [
              {"id": "title", "type": "text", "text": "a", "start": 0.5, "duration": 2},
              {"id": "second", "type": "text", "text": "b", "start": "after:title", "duration": 1.5},
              {"type": "color", "color": "#ffffff", "start": "after:title"},
              {"type": "text", "text": "c", "start": 1}
            ]}
            """);
        Assert.Empty(errors);
        Assert.Equal([0.5, 2.5, 2.5, 1.0], resolved!.Layers.Select(l => l.Start));
        Assert.Equal(4.0, resolved.Duration); // 2.5 + 1.5; the colour layer and the last text last "to the end" and do not count
    }

    [Fact]
    public void A_media_layer_lasts_its_media_trimmed_and_at_its_speed()
    {
        var json = $$"""
            {"background": "#000000", "layers": [
              {"id": "clip", "type": "video", "asset_id": "{{ClipId}}", "start": 0, "trim_start": 2, "speed": 2},
              {"type": "audio", "asset_id": "{{ClipId}}", "start": "after:clip", "trim_start": 1, "trim_duration": 3}
            ]}
            """;
        var (resolved, errors) = Resolve(json);
        Assert.Empty(errors);
        Assert.Equal(4, resolved!.Layers[0].Duration);  // (10 - 2) / 2
        Assert.Equal(4, resolved.Layers[1].Start);
        Assert.Equal(3, resolved.Layers[1].Duration);
        Assert.Equal(7, resolved.Duration);
    }

    [Fact]
    public void Cycles_unknown_ids_and_duplicates_are_refused_when_parsed()
    {
        static List<(string, string)> Errors(string layers)
            => [.. CompositionParser.Parse(JsonDocument.Parse($$"""{"duration": 5, "background": "#000000", "layers": [{{layers}}]}""").RootElement, "composition", out _)
                .Select(e => (e.Field, e.Code))];
        Assert.Contains(("composition.layers[0].start", "cycle"), Errors("""
            {"id": "a", "type": "text", "text": "x", "start": "after:b", "duration": 1}, {"id": "b", "type": "text", "text": "y", "start": "after:a", "duration": 1}
            """).Concat(Errors("""{"id": "a", "type": "text", "text": "x", "start": "after:a", "duration": 1}""")));
        Assert.Contains(("composition.layers[0].start", "unknown_layer"), Errors("""{"type": "text", "text": "x", "start": "after:nobody"}"""));
        Assert.Contains(("composition.layers[1].id", "duplicate_id"), Errors("""
            {"id": "a", "type": "text", "text": "x", "start": 0}, {"id": "a", "type": "text", "text": "y", "start": 0}
            """));
        Assert.Contains(("composition.layers[0].id", "invalid_id"), Errors("""{"id": "Not OK", "type": "text", "text": "x", "start": 0}"""));
        Assert.Contains(("composition.layers[0].start", "invalid_type"), Errors("""{"type": "text", "text": "x", "start": "soon"}"""));
    }

    [Fact]
    public void Without_a_duration_something_must_end_and_nothing_may_follow_an_open_ended_layer()
    {
        var (_, none) = Resolve("""{"background": "#000000", "layers": [{"type": "text", "text": "x", "start": 0}]}""");
        Assert.Contains(none, e => e.Field == "composition.duration" && e.Code == "required");
        var (_, open) = Resolve("""
            {"duration": 5, "background": "#000000", "layers": [{"id": "bg", "type": "color", "color": "#000000", "start": 0}, {"type": "text", "text": "x", "start": "after:bg"}]}
            """);
        Assert.Contains(open, e => e.Field == "composition.layers[1].start" && e.Code == "open_ended");
        var (_, late) = Resolve("""
            {"duration": 2, "background": "#000000", "layers": [{"id": "a", "type": "text", "text": "x", "start": 0, "duration": 3}, {"type": "text", "text": "y", "start": "after:a"}]}
            """);
        Assert.Contains(late, e => e.Field == "composition.layers[1].start" && e.Code == "out_of_range");
    }

    [Fact]
    public void A_resolved_composition_round_trips_through_the_stored_json()
    {
        var (resolved, _) = Resolve("""{"background": "#000000", "layers": [{"id": "a", "type": "text", "text": "x", "start": 0.5, "duration": 1}, {"type": "text", "text": "y", "start": "after:a", "duration": 1}]}""");
        var stored = JsonSerializer.Serialize(resolved, Common.Json.ApiJson.Options);
        var again = Parse(stored);
        Assert.Equal(2.5, again.Duration);
        Assert.Equal(1.5, again.Layers[1].Start);
        Assert.Null(again.Layers[1].StartAt.After);
    }
}

/// <summary><c>output_settings.range</c> checked at submission.</summary>
public sealed class RangeValidationTests
{
    static RangeValidationTests() => ValidationNaming.Configure();

    [Fact]
    public void A_range_needs_a_start_from_zero_and_a_positive_duration()
    {
        var composition = JsonDocument.Parse("""{"duration": 2, "background": "#000000", "layers": []}""").RootElement;
        List<string> Fields(double start, double duration) => [.. new RenderRequestValidator().Validate(new RenderRequest(composition, null, null,
            new OutputSettingsRequest(null, null, null, null, null) { Range = new TimeRange(start, duration) }, null, null, null, null)).Errors.Select(e => e.PropertyName)];
        Assert.Empty(Fields(0.5, 1));
        Assert.Contains("output_settings.range.start", Fields(-1, 1));
        Assert.Contains("output_settings.range.duration", Fields(0, 0));
    }
}

/// <summary><c>output_settings.aspect_ratio</c> derives the missing side.</summary>
public sealed class AspectRatioTests
{
    static AspectRatioTests() => ValidationNaming.Configure();

    [Theory]
    [InlineData("16:9", 1920, null, 1920, 1080)]
    [InlineData("9:16", null, 1920, 1080, 1920)]
    [InlineData("1:1", 720, null, 720, 720)]
    [InlineData("4:5", 1080, null, 1080, 1350)]
    [InlineData("16:9", null, 700, 1244, 700)]
    [InlineData("9:16", null, null, 720, 1280)]
    public void The_other_side_is_derived_and_even(string ratio, int? width, int? height, int expectedWidth, int expectedHeight)
    {
        var settings = new OutputSettingsRequest(null, width, height, null, null) { AspectRatio = ratio }.ToSettings();
        Assert.Equal((expectedWidth, expectedHeight), (settings.Width, settings.Height));
    }

    [Fact]
    public void An_unknown_ratio_or_both_sides_with_a_ratio_are_refused()
    {
        var composition = JsonDocument.Parse("""{"duration": 2, "background": "#000000", "layers": []}""").RootElement;
        List<(string, string)> Errors(OutputSettingsRequest output) => [.. new RenderRequestValidator().Validate(new RenderRequest(composition, null, null, output, null, null, null, null))
            .Errors.Select(e => (e.PropertyName, ValidationNaming.Code(e.ErrorCode)))];
        Assert.Contains(("output_settings.aspect_ratio", "invalid_value"), Errors(new OutputSettingsRequest(null, 640, null, null, null) { AspectRatio = "3:2" }));
        Assert.Contains(("output_settings.aspect_ratio", "exclusive"), Errors(new OutputSettingsRequest(null, 640, 360, null, null) { AspectRatio = "16:9" }));
    }
}
