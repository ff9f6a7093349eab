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
