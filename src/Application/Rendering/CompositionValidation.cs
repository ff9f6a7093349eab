using System.Text.Json;
using System.Text.RegularExpressions;
using FluentValidation;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Errors;
using RenderOwl.Application.Common.Json;
using RenderOwl.Application.Common.Validation;
using RenderOwl.Domain.Rendering;

namespace RenderOwl.Application.Rendering;

public static partial class CompositionRules
{
    public const double MaxDuration = 3600;
    public const int MaxLayers = 100;
    public const int MaxTextLength = 10_000;
    private static readonly string[] HorizontalKeywords = ["left", "center", "right"];
    private static readonly string[] VerticalKeywords = ["top", "center", "bottom"];

    [GeneratedRegex("^#(?:[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$", RegexOptions.CultureInvariant)]
    private static partial Regex HexColour();

    public static bool IsColour(string? value) => value is not null && HexColour().IsMatch(value);

    public static IRuleBuilderOptions<T, string?> Colour<T>(this IRuleBuilder<T, string?> rule)
        => rule.Must(IsColour).WithErrorCode("invalid_color").WithMessage("'{PropertyName}' must be a colour like #1e90ff or #1e90ff80.");

    public static readonly string[] Anchors = ["top-left", "top", "top-right", "left", "center", "right", "bottom-left", "bottom", "bottom-right"];
    public static readonly string[] Aligns = ["left", "center", "right"];
    public static readonly string[] VerticalAligns = ["top", "center", "bottom"];

    /// <summary>The font families every server has (DejaVu and Noto, installed with the engine).</summary>
    public static readonly string[] BuiltInFonts = ["DejaVu Sans", "DejaVu Serif", "DejaVu Sans Mono", "Noto Sans", "Noto Serif"];

    public static bool HorizontalOk(Coordinate c) => c.Pixels is { } px ? Math.Abs(px) <= 20_000
        : c.Percent is { } pc ? Math.Abs(pc) <= 1000 : HorizontalKeywords.Contains(c.Keyword);

    public static bool VerticalOk(Coordinate c) => c.Pixels is { } px ? Math.Abs(px) <= 20_000
        : c.Percent is { } pc ? Math.Abs(pc) <= 1000 : VerticalKeywords.Contains(c.Keyword);

    public static bool LengthOk(Length l, int maxPixels) => l.Pixels is { } px ? px >= 1 && px <= maxPixels : l.Percent is > 0 and <= 1000;

    public static bool IsBuiltInFont(string family) => BuiltInFonts.Contains(family, StringComparer.OrdinalIgnoreCase);
}

public sealed class CompositionValidator : AbstractValidator<Composition>
{
    public CompositionValidator()
    {
        RuleFor(x => x.Duration).GreaterThan(0).LessThanOrEqualTo(CompositionRules.MaxDuration);
        RuleFor(x => x.Background).NotEmpty().Colour();
        RuleFor(x => x.Layers).NotNull().Must(l => l is null || l.Count <= CompositionRules.MaxLayers)
            .WithErrorCode("too_many").WithMessage($"At most {CompositionRules.MaxLayers} layers.");
        RuleForEach(x => x.Layers).SetValidator(c => new LayerValidator(c.Duration));
    }
}

public sealed class LayerValidator : AbstractValidator<Layer>
{
    public LayerValidator(double compositionDuration)
    {
        RuleFor(x => x.Type).IsInEnum();
        RuleFor(x => x.Start).GreaterThanOrEqualTo(0).LessThan(Math.Max(compositionDuration, 0.000001))
            .WithMessage("'start' must be within the composition's duration.");
        RuleFor(x => x.Duration).GreaterThan(0).When(x => x.Duration is not null);
        RuleFor(x => x.Opacity).InclusiveBetween(0, 1).When(x => x.Opacity is not null);
        RuleFor(x => x.Size!.Width).Must(w => CompositionRules.LengthOk(w, 7680)).OverridePropertyName("size.width").When(x => x.Size is not null)
            .WithErrorCode("out_of_range").WithMessage("'size.width' must be 1–7680 pixels or a percentage above 0 and at most 1000%.");
        RuleFor(x => x.Size!.Height).Must(h => CompositionRules.LengthOk(h, 4320)).OverridePropertyName("size.height").When(x => x.Size is not null)
            .WithErrorCode("out_of_range").WithMessage("'size.height' must be 1–4320 pixels or a percentage above 0 and at most 1000%.");
        RuleFor(x => x.Anchor).Must(a => CompositionRules.Anchors.Contains(a)).When(x => x.Anchor is not null)
            .WithErrorCode("invalid_anchor").WithMessage($"'anchor' must be one of {string.Join(", ", CompositionRules.Anchors)}.");
        RuleFor(x => x.Fit).IsInEnum().When(x => x.Fit is not null);
        RuleFor(x => x.Rotation).InclusiveBetween(-3600, 3600).When(x => x.Rotation is not null);
        RuleFor(x => x.Crop!).SetValidator(new CropValidator()).OverridePropertyName("crop").When(x => x.Crop is not null);
        RuleFor(x => x.Position!.X).Must(CompositionRules.HorizontalOk).OverridePropertyName("position.x").When(x => x.Position is not null)
            .WithErrorCode("invalid_position").WithMessage("'position.x' must be pixels, a percentage, or left, center, right.");
        RuleFor(x => x.Position!.Y).Must(CompositionRules.VerticalOk).OverridePropertyName("position.y").When(x => x.Position is not null)
            .WithErrorCode("invalid_position").WithMessage("'position.y' must be pixels or top, center, bottom.");

        When(x => x.Type == LayerType.Color, () => RuleFor(x => x.Color).NotEmpty().Colour());
        When(x => x.Type == LayerType.Text, () =>
        {
            RuleFor(x => x.Text).NotNull().MaximumLength(CompositionRules.MaxTextLength);
            RuleFor(x => x.Style!).SetValidator(x => new TextStyleValidator(x.Size is not null)).OverridePropertyName("style").When(x => x.Style is not null);
        });
        When(x => x.Type == LayerType.Shape, () =>
        {
            RuleFor(x => x.Shape).NotNull().WithErrorCode("required").WithMessage("'shape' is required for a shape layer: rectangle or ellipse.").IsInEnum();
            RuleFor(x => x.Color).Colour().When(x => x.Color is not null);
            RuleFor(x => x).Must(x => x.Color is not null || x.Stroke is not null).OverridePropertyName("color")
                .WithErrorCode("required").WithMessage("'color' is required for a shape layer without a stroke.");
            RuleFor(x => x.CornerRadius).InclusiveBetween(0, 10_000).When(x => x.CornerRadius is not null);
            RuleFor(x => x.Stroke!).SetValidator(new StrokeValidator()).OverridePropertyName("stroke").When(x => x.Stroke is not null);
        });
        When(x => x.Type is LayerType.Image or LayerType.Video or LayerType.Audio, () =>
            RuleFor(x => x.AssetId).NotNull().WithErrorCode("required").WithMessage("'asset_id' is required for image, video and audio layers."));
        RuleFor(x => x.TrimStart).GreaterThanOrEqualTo(0).When(x => x.TrimStart is not null);
        RuleFor(x => x.Volume).InclusiveBetween(0, 10).When(x => x.Volume is not null);
    }
}

public sealed class CropValidator : AbstractValidator<Crop>
{
    public CropValidator()
    {
        RuleFor(x => x.Top).InclusiveBetween(0, 1).When(x => x.Top is not null);
        RuleFor(x => x.Right).InclusiveBetween(0, 1).When(x => x.Right is not null);
        RuleFor(x => x.Bottom).InclusiveBetween(0, 1).When(x => x.Bottom is not null);
        RuleFor(x => x.Left).InclusiveBetween(0, 1).When(x => x.Left is not null);
        RuleFor(x => (x.Top ?? 0) + (x.Bottom ?? 0)).LessThan(0.99).OverridePropertyName("bottom")
            .WithErrorCode("out_of_range").WithMessage("'top' and 'bottom' together must leave something of the source (under 0.99).");
        RuleFor(x => (x.Left ?? 0) + (x.Right ?? 0)).LessThan(0.99).OverridePropertyName("right")
            .WithErrorCode("out_of_range").WithMessage("'left' and 'right' together must leave something of the source (under 0.99).");
    }
}

public sealed class StrokeValidator : AbstractValidator<Stroke>
{
    public StrokeValidator()
    {
        RuleFor(x => x.Color).NotEmpty().Colour();
        RuleFor(x => x.Width).InclusiveBetween(0, 500);
    }
}

public sealed class TextStyleValidator : AbstractValidator<TextStyle>
{
    public TextStyleValidator(bool sized)
    {
        RuleFor(x => x.FontFamily).Must(f => CompositionRules.IsBuiltInFont(f!)).When(x => x.FontFamily is not null)
            .WithErrorCode("unknown_font").WithMessage($"'font_family' must be one of {string.Join(", ", CompositionRules.BuiltInFonts)}.");
        RuleFor(x => x.FontSize!.Value.Points).InclusiveBetween(6, 500).OverridePropertyName("font_size").When(x => x.FontSize is { Auto: false });
        RuleFor(x => x.FontSize).Must(_ => sized).When(x => x.FontSize is { Auto: true })
            .WithErrorCode("requires_size").WithMessage("'font_size' \"auto\" needs the layer's 'size': the box the text is fitted to.");
        RuleFor(x => x.MinFontSize).InclusiveBetween(6, 500).When(x => x.MinFontSize is not null);
        RuleFor(x => x.MaxFontSize).InclusiveBetween(6, 500).When(x => x.MaxFontSize is not null);
        RuleFor(x => x.MaxFontSize).GreaterThanOrEqualTo(x => x.MinFontSize!.Value).When(x => x.MinFontSize is not null && x.MaxFontSize is not null)
            .WithMessage("'max_font_size' must be at least 'min_font_size'.");
        RuleFor(x => x.FontWeight).InclusiveBetween(100, 900).When(x => x.FontWeight is not null);
        RuleFor(x => x.Color).Colour().When(x => x.Color is not null);
        RuleFor(x => x.LineHeight).InclusiveBetween(0.5, 5).When(x => x.LineHeight is not null);
        RuleFor(x => x.LetterSpacing).InclusiveBetween(-100, 500).When(x => x.LetterSpacing is not null);
        RuleFor(x => x.Align).Must(a => CompositionRules.Aligns.Contains(a)).When(x => x.Align is not null)
            .WithErrorCode("invalid_value").WithMessage("'align' must be left, center or right.");
        RuleFor(x => x.VerticalAlign).Must(a => CompositionRules.VerticalAligns.Contains(a)).When(x => x.VerticalAlign is not null)
            .WithErrorCode("invalid_value").WithMessage("'vertical_align' must be top, center or bottom.");
        RuleFor(x => x.Stroke!).SetValidator(new StrokeValidator()).When(x => x.Stroke is not null);
        RuleFor(x => x.Shadow!.Color).NotEmpty().Colour().OverridePropertyName("shadow.color").When(x => x.Shadow is not null);
        RuleFor(x => x.Shadow!.X).InclusiveBetween(-500, 500).OverridePropertyName("shadow.x").When(x => x.Shadow?.X is not null);
        RuleFor(x => x.Shadow!.Y).InclusiveBetween(-500, 500).OverridePropertyName("shadow.y").When(x => x.Shadow?.Y is not null);
        RuleFor(x => x.Background!.Color).NotEmpty().Colour().OverridePropertyName("background.color").When(x => x.Background is not null);
        RuleFor(x => x.Background!.Padding).InclusiveBetween(0, 1000).OverridePropertyName("background.padding").When(x => x.Background?.Padding is not null);
        RuleFor(x => x.Background!.CornerRadius).InclusiveBetween(0, 1000).OverridePropertyName("background.corner_radius").When(x => x.Background?.CornerRadius is not null);
        RuleFor(x => x.BackgroundColor).Colour().When(x => x.BackgroundColor is not null);
    }
}

/// <summary>JSON → <see cref="Composition"/> with field-path errors: the one parser the API, templates and renders use.</summary>
public sealed class CompositionParser : ICompositionValidator
{
    private static readonly CompositionValidator Validator = new();

    public IReadOnlyList<FieldError> Validate(JsonElement composition, string fieldPrefix) => Parse(composition, fieldPrefix, out _);

    public static IReadOnlyList<FieldError> Parse(JsonElement json, string fieldPrefix, out Composition? composition)
    {
        composition = null;
        if (json.ValueKind != JsonValueKind.Object)
        {
            return [new FieldError(fieldPrefix, "invalid_type", $"'{fieldPrefix}' must be an object.")];
        }
        try
        {
            composition = json.Deserialize<Composition>(ApiJson.Options);
        }
        catch (JsonException ex)
        {
            var path = ex.Path is { Length: > 1 } p ? fieldPrefix + (p.StartsWith("$.", StringComparison.Ordinal) ? "." + p[2..] : p[1..]) : fieldPrefix;
            return [new FieldError(path, "invalid_type", $"'{path}' has the wrong type or format.")];
        }
        if (composition is null)
        {
            return [new FieldError(fieldPrefix, "required", $"'{fieldPrefix}' is required.")];
        }
        var result = Validator.Validate(composition);
        return result.Errors
            .Select(e => new FieldError(fieldPrefix + "." + e.PropertyName, ValidationNaming.Code(e.ErrorCode), e.ErrorMessage.Replace("'" + e.PropertyName + "'", "'" + fieldPrefix + "." + e.PropertyName + "'", StringComparison.Ordinal)))
            .ToList();
    }
}
