using System.Text.Json;
using RenderOwl.Application.Common.Validation;
using RenderOwl.Application.Rendering;
using RenderOwl.Domain.Rendering;

namespace RenderOwl.Application.UnitTests;

/// <summary>Placement, text style and shape fields: parsed in every documented form, refused with their JSON path when wrong.</summary>
public sealed class CompositionLayoutValidationTests
{
    static CompositionLayoutValidationTests() => ValidationNaming.Configure();

    private static List<(string Field, string Code)> Errors(string layer)
        => [.. CompositionParser.Parse(JsonDocument.Parse($$"""{"duration": 2, "background": "#000000", "layers": [{"type": "color", "color": "#ffffff", "start": 0}, {{layer}}]}""").RootElement,
            "composition", out _).Select(e => (e.Field, e.Code))];

    private static Layer Parse(string layer)
    {
        Assert.Empty(CompositionParser.Parse(JsonDocument.Parse($$"""{"duration": 2, "background": "#000000", "layers": [{{layer}}]}""").RootElement, "composition", out var parsed));
        return parsed!.Layers[0];
    }

    [Fact]
    public void Positions_and_sizes_take_pixels_percentages_and_keywords()
    {
        var layer = Parse("""{"type": "image", "asset_id": "ast_01m8s0000000000000000000aa", "start": 0, "position": {"x": "50%", "y": "bottom"}, "size": {"width": "25%", "height": 120}, "anchor": "bottom-right", "fit": "cover", "crop": {"left": 0.1}, "rotation": -15, "opacity": 0.4}""");
        Assert.Equal(Coordinate.PercentOf(50), layer.Position!.X);
        Assert.Equal(Coordinate.Named("bottom"), layer.Position.Y);
        Assert.Equal(480, layer.Size!.Width.Resolve(1920));
        Assert.Equal(120, layer.Size.Height.Resolve(1080));
        Assert.Equal(("bottom-right", Fit.Cover, 0.1, -15.0), (layer.Anchor, layer.Fit!.Value, layer.Crop!.Left!.Value, layer.Rotation!.Value));
    }

    [Fact]
    public void A_text_style_parses_every_field_and_auto_size()
    {
        var layer = Parse("""
            {"type": "text", "text": "x", "start": 0, "size": {"width": 400, "height": 200},
             "style": {"font_family": "Noto Serif", "font_size": "auto", "min_font_size": 10, "max_font_size": 90, "font_weight": 700, "color": "#ffffff",
                       "line_height": 1.4, "letter_spacing": 2, "align": "center", "vertical_align": "bottom", "stroke": {"color": "#000000", "width": 3},
                       "shadow": {"color": "#00000080", "x": 2, "y": 4}, "background": {"color": "#1e90ff", "padding": 12, "corner_radius": 8}}}
            """);
        var style = layer.Style!;
        Assert.True(style.FontSize!.Value.Auto);
        Assert.Equal(("Noto Serif", 700, "center", "bottom", 3.0, 4.0, 8.0), (style.FontFamily, style.FontWeight!.Value, style.Align, style.VerticalAlign, style.Stroke!.Width, style.Shadow!.Y!.Value, style.Background!.CornerRadius!.Value));
    }

    [Theory]
    [InlineData("""{"type": "color", "color": "#fff000", "start": 0, "anchor": "middle"}""", "composition.layers[1].anchor", "invalid_anchor")]
    [InlineData("""{"type": "color", "color": "#fff000", "start": 0, "size": {"width": "0%", "height": 10}}""", "composition.layers[1].size.width", "out_of_range")]
    [InlineData("""{"type": "color", "color": "#fff000", "start": 0, "size": {"width": "wide", "height": 10}}""", "composition.layers[1].size.width", "invalid_type")]
    [InlineData("""{"type": "color", "color": "#fff000", "start": 0, "position": {"x": "5000%", "y": 0}}""", "composition.layers[1].position.x", "invalid_position")]
    [InlineData("""{"type": "image", "asset_id": "ast_01m8s0000000000000000000aa", "start": 0, "fit": "squash"}""", "composition.layers[1].fit", "invalid_type")]
    [InlineData("""{"type": "image", "asset_id": "ast_01m8s0000000000000000000aa", "start": 0, "crop": {"left": 0.6, "right": 0.6}}""", "composition.layers[1].crop.right", "out_of_range")]
    [InlineData("""{"type": "image", "asset_id": "ast_01m8s0000000000000000000aa", "start": 0, "crop": {"top": 1.5}}""", "composition.layers[1].crop.top", "inclusive_between")]
    [InlineData("""{"type": "color", "color": "#fff000", "start": 0, "rotation": 99999}""", "composition.layers[1].rotation", "inclusive_between")]
    [InlineData("""{"type": "text", "text": "x", "start": 0, "style": {"font_family": "Comic Sans"}}""", "composition.layers[1].style.font_family", "unknown_font")]
    [InlineData("""{"type": "text", "text": "x", "start": 0, "style": {"font_size": "auto"}}""", "composition.layers[1].style.font_size", "requires_size")]
    [InlineData("""{"type": "text", "text": "x", "start": 0, "style": {"font_size": "huge"}}""", "composition.layers[1].style.font_size", "invalid_type")]
    [InlineData("""{"type": "text", "text": "x", "start": 0, "style": {"font_weight": 950}}""", "composition.layers[1].style.font_weight", "inclusive_between")]
    [InlineData("""{"type": "text", "text": "x", "start": 0, "style": {"align": "justify"}}""", "composition.layers[1].style.align", "invalid_value")]
    [InlineData("""{"type": "text", "text": "x", "start": 0, "style": {"stroke": {"color": "black", "width": 2}}}""", "composition.layers[1].style.stroke.color", "invalid_color")]
    [InlineData("""{"type": "text", "text": "x", "start": 0, "style": {"min_font_size": 40, "max_font_size": 20}}""", "composition.layers[1].style.max_font_size", "greater_than_or_equal")]
    [InlineData("""{"type": "text", "text": "x", "start": 0, "style": {"background": {"color": "#000000", "padding": -1}}}""", "composition.layers[1].style.background.padding", "inclusive_between")]
    [InlineData("""{"type": "shape", "start": 0, "color": "#ffffff"}""", "composition.layers[1].shape", "required")]
    [InlineData("""{"type": "shape", "shape": "triangle", "start": 0, "color": "#ffffff"}""", "composition.layers[1].shape", "invalid_type")]
    [InlineData("""{"type": "shape", "shape": "ellipse", "start": 0}""", "composition.layers[1].color", "required")]
    [InlineData("""{"type": "shape", "shape": "rectangle", "start": 0, "color": "#ffffff", "corner_radius": -4}""", "composition.layers[1].corner_radius", "inclusive_between")]
    [InlineData("""{"type": "shape", "shape": "rectangle", "start": 0, "stroke": {"color": "#ffffff", "width": 900}}""", "composition.layers[1].stroke.width", "inclusive_between")]
    public void A_wrong_field_is_refused_on_its_path(string layer, string field, string code)
        => Assert.Contains((field, code), Errors(layer));
}

/// <summary>Transitions, effects, filters and keyframes: refused on their JSON path when wrong.</summary>
public sealed class CompositionMotionValidationTests
{
    static CompositionMotionValidationTests() => ValidationNaming.Configure();

    private static List<(string Field, string Code)> Errors(string layer)
        => [.. CompositionParser.Parse(JsonDocument.Parse($$"""{"duration": 2, "background": "#000000", "layers": [{{layer}}]}""").RootElement,
            "composition", out _).Select(e => (e.Field, e.Code))];

    [Fact]
    public void A_layer_with_every_motion_field_is_valid()
        => Assert.Empty(Errors("""
            {"type": "image", "asset_id": "ast_01m8s0000000000000000000aa", "start": 0, "transition": {"in": {"type": "slide_left", "duration": 0.4}, "out": {"type": "zoom_out"}},
             "effect": "ken_burns_in", "filter": "sepia", "keyframes": {"x": [{"time": 0, "value": 10}, {"time": 1, "value": 200, "easing": "ease_in_out"}], "opacity": [{"time": 0, "value": 1, "easing": "hold"}, {"time": 1.5, "value": 0}]}}
            """));

    [Theory]
    [InlineData("""{"type": "color", "color": "#ffffff", "start": 0, "transition": {"in": {"type": "spin"}}}""", "composition.layers[0].transition.in.type", "invalid_type")]
    [InlineData("""{"type": "color", "color": "#ffffff", "start": 0, "transition": {"out": {"type": "fade", "duration": 0}}}""", "composition.layers[0].transition.out.duration", "inclusive_between")]
    [InlineData("""{"type": "color", "color": "#ffffff", "start": 0, "effect": "ken_burns_in"}""", "composition.layers[0].effect", "not_supported")]
    [InlineData("""{"type": "color", "color": "#ffffff", "start": 0, "filter": "vintage"}""", "composition.layers[0].filter", "invalid_type")]
    [InlineData("""{"type": "color", "color": "#ffffff", "start": 0, "keyframes": {"x": [{"time": 1, "value": 0}, {"time": 0.5, "value": 4}]}}""", "composition.layers[0].keyframes.x", "not_increasing")]
    [InlineData("""{"type": "color", "color": "#ffffff", "start": 0, "keyframes": {"opacity": [{"time": 0, "value": 2}]}}""", "composition.layers[0].keyframes.opacity[0].value", "inclusive_between")]
    [InlineData("""{"type": "color", "color": "#ffffff", "start": 0, "keyframes": {"scale": [{"time": 0, "value": 1, "easing": "bounce"}]}}""", "composition.layers[0].keyframes.scale[0].easing", "invalid_type")]
    [InlineData("""{"type": "color", "color": "#ffffff", "start": 0, "keyframes": {"volume": [{"time": 0, "value": 1}]}}""", "composition.layers[0].keyframes.volume", "not_supported")]
    [InlineData("""{"type": "audio", "asset_id": "ast_01m8s0000000000000000000aa", "start": 0, "keyframes": {"rotation": [{"time": 0, "value": 1}]}}""", "composition.layers[0].keyframes.rotation", "not_supported")]
    public void A_wrong_motion_field_is_refused_on_its_path(string layer, string field, string code)
        => Assert.Contains((field, code), Errors(layer));

    [Fact]
    public void More_than_fifty_keyframes_of_a_property_are_refused()
    {
        var frames = string.Join(",", Enumerable.Range(0, 51).Select(i => "{\"time\": " + (i * 0.01).ToString(System.Globalization.CultureInfo.InvariantCulture) + ", \"value\": 0}"));
        Assert.Contains(("composition.layers[0].keyframes.y", "out_of_range"), Errors("{\"type\": \"color\", \"color\": \"#ffffff\", \"start\": 0, \"keyframes\": {\"y\": [" + frames + "]}}"));
    }
}
