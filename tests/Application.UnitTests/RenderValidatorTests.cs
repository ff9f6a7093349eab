using System.Text.Json;
using RenderOwl.Application.Common.Validation;
using RenderOwl.Application.Rendering;
using RenderOwl.Domain.Common;
using RenderOwl.Domain.Rendering;

namespace RenderOwl.Application.UnitTests;

/// <summary>The rules a render request meets on its own, and the composition and layer rules every composition meets.</summary>
public sealed class RenderValidatorTests
{
    static RenderValidatorTests() => ValidationNaming.Configure();

    private static readonly JsonElement Composition = Json("""{"duration": 2, "background": "#000000", "layers": [{"type": "text", "text": "hi", "start": 0}]}""");

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();

    private static RenderRequest Request(JsonElement? composition = null, TemplateId? template = null, OutputSettingsRequest? output = null,
        IReadOnlyList<string>? tags = null, JsonElement? metadata = null, string? webhook = null)
        => new(composition, template, null, output, null, webhook, tags, metadata);

    private static List<(string Field, string Code)> Errors(RenderRequest request)
        => [.. new RenderRequestValidator().Validate(request).Errors.Select(e => (e.PropertyName, ValidationNaming.Code(e.ErrorCode)))];

    [Fact]
    public void A_composition_with_no_output_settings_is_valid_and_gets_the_documented_defaults()
    {
        var request = Request(Composition);
        Assert.Empty(Errors(request));
        Assert.Equal(new OutputSettings(OutputFormat.Mp4, 1280, 720, 30, Quality.Standard), request.Output());
    }

    [Fact]
    public void Neither_or_both_of_composition_and_template_is_refused()
    {
        Assert.Contains(("composition", "exclusive"), Errors(Request()));
        Assert.Contains(("composition", "exclusive"), Errors(Request(Composition, TemplateId.From(Guid.CreateVersion7()))));
    }

    [Theory]
    [InlineData(641, 480, "output_settings.width")]
    [InlineData(640, 8, "output_settings.height")]
    public void Odd_or_tiny_sizes_are_refused_on_their_field(int width, int height, string field)
        => Assert.Contains((field, "invalid_size"), Errors(Request(Composition, output: new OutputSettingsRequest(null, width, height, null, null))));

    [Fact]
    public void Frame_rates_outside_1_to_60_are_refused()
        => Assert.Contains(Errors(Request(Composition, output: new OutputSettingsRequest(null, null, null, 61, null))), e => e.Field == "output_settings.fps");

    [Fact]
    public void Too_many_tags_a_metadata_array_and_a_non_http_webhook_are_each_refused()
    {
        var errors = Errors(Request(Composition, tags: [.. Enumerable.Range(0, 21).Select(i => $"t{i}")], metadata: Json("[1]"), webhook: "ftp://example.com/x"));
        Assert.Contains(("tags", "invalid_tags"), errors);
        Assert.Contains(("metadata", "invalid_metadata"), errors);
        Assert.Contains(("webhook_url", "invalid_url"), errors);
    }

    private static List<(string Field, string Code)> CompositionErrors(string json)
        => [.. CompositionParser.Parse(Json(json), "composition", out _).Select(e => (e.Field, e.Code))];

    [Fact]
    public void A_valid_composition_parses_with_no_error()
    {
        Assert.Empty(CompositionParser.Parse(Composition, "composition", out var parsed));
        Assert.Equal(2, parsed!.Duration);
        Assert.Equal(LayerType.Text, Assert.Single(parsed.Layers).Type);
    }

    [Theory]
    [InlineData("""{"duration": 0, "background": "#000000", "layers": []}""", "composition.duration")]
    [InlineData("""{"duration": 4000, "background": "#000000", "layers": []}""", "composition.duration")]
    [InlineData("""{"duration": 1, "background": "red", "layers": []}""", "composition.background")]
    public void Composition_rules_name_the_field(string json, string field) => Assert.Contains(CompositionErrors(json), e => e.Field == field);

    [Fact]
    public void More_than_a_hundred_layers_are_refused()
    {
        var layers = string.Join(",", Enumerable.Repeat("""{"type": "text", "text": "x", "start": 0}""", 101));
        Assert.Contains(("composition.layers", "too_many"), CompositionErrors($$"""{"duration": 1, "background": "#000000", "layers": [{{layers}}]}"""));
    }

    [Theory]
    [InlineData("""{"type": "text", "text": "x", "start": 5}""", "composition.layers[0].start")]
    [InlineData("""{"type": "image", "start": 0}""", "composition.layers[0].asset_id")]
    [InlineData("""{"type": "color", "color": "blue", "start": 0}""", "composition.layers[0].color")]
    [InlineData("""{"type": "text", "text": "x", "start": 0, "position": {"x": "middle", "y": 0}}""", "composition.layers[0].position.x")]
    [InlineData("""{"type": "text", "text": "x", "start": 0, "style": {"font_size": 2}}""", "composition.layers[0].style.font_size")]
    [InlineData("""{"type": "audio", "asset_id": "ast_01m8s0000000000000000000aa", "start": 0, "volume": 11}""", "composition.layers[0].volume")]
    public void Layer_rules_name_the_layer_and_its_field(string layer, string field)
        => Assert.Contains(CompositionErrors($$"""{"duration": 2, "background": "#000000", "layers": [{{layer}}]}"""), e => e.Field == field);

    [Fact]
    public void The_layer_validator_checks_start_against_the_composition_duration()
    {
        var validator = new LayerValidator(compositionDuration: 3);
        Assert.True(validator.Validate(new Layer { Type = LayerType.Text, Text = "x", Start = 2.5 }).IsValid);
        Assert.False(validator.Validate(new Layer { Type = LayerType.Text, Text = "x", Start = 3 }).IsValid);
    }
}
