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

    public static bool HorizontalOk(Coordinate c) => c.Pixels is { } px ? Math.Abs(px) <= 20_000 : HorizontalKeywords.Contains(c.Keyword);

    public static bool VerticalOk(Coordinate c) => c.Pixels is { } px ? Math.Abs(px) <= 20_000 : VerticalKeywords.Contains(c.Keyword);
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
        RuleFor(x => x.Size!.Width).InclusiveBetween(1, 7680).OverridePropertyName("size.width").When(x => x.Size is not null);
        RuleFor(x => x.Size!.Height).InclusiveBetween(1, 4320).OverridePropertyName("size.height").When(x => x.Size is not null);
        RuleFor(x => x.Position!.X).Must(CompositionRules.HorizontalOk).OverridePropertyName("position.x").When(x => x.Position is not null)
            .WithErrorCode("invalid_position").WithMessage("'position.x' must be pixels or left, center, right.");
        RuleFor(x => x.Position!.Y).Must(CompositionRules.VerticalOk).OverridePropertyName("position.y").When(x => x.Position is not null)
            .WithErrorCode("invalid_position").WithMessage("'position.y' must be pixels or top, center, bottom.");

        When(x => x.Type == LayerType.Color, () => RuleFor(x => x.Color).NotEmpty().Colour());
        When(x => x.Type == LayerType.Text, () =>
        {
            RuleFor(x => x.Text).NotNull().MaximumLength(CompositionRules.MaxTextLength);
            RuleFor(x => x.Style!.FontSize).InclusiveBetween(6, 500).OverridePropertyName("style.font_size").When(x => x.Style?.FontSize is not null);
            RuleFor(x => x.Style!.Color).Colour().OverridePropertyName("style.color").When(x => x.Style?.Color is not null);
            RuleFor(x => x.Style!.BackgroundColor).Colour().OverridePropertyName("style.background_color").When(x => x.Style?.BackgroundColor is not null);
        });
        When(x => x.Type is LayerType.Image or LayerType.Video or LayerType.Audio, () =>
            RuleFor(x => x.AssetId).NotNull().WithErrorCode("required").WithMessage("'asset_id' is required for image, video and audio layers."));
        RuleFor(x => x.TrimStart).GreaterThanOrEqualTo(0).When(x => x.TrimStart is not null);
        RuleFor(x => x.Volume).InclusiveBetween(0, 10).When(x => x.Volume is not null);
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
