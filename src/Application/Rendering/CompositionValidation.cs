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

    /// <summary>The background keyword for no background at all: transparent in mov_alpha and png, black elsewhere.</summary>
    public const string Transparent = "transparent";

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

    [GeneratedRegex("^[a-z0-9_-]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex LayerId();

    public static bool IsLayerId(string id) => LayerId().IsMatch(id);

    /// <summary>Inline captions: at most 1 MiB, every cue readable; each bad line is an error on the field.</summary>
    public static void CheckSubtitles<T>(string? text, ValidationContext<T> context)
    {
        if (text is null)
        {
            return;
        }
        if (System.Text.Encoding.UTF8.GetByteCount(text) > Subtitles.MaxBytes)
        {
            context.AddFailure(new FluentValidation.Results.ValidationFailure(context.PropertyPath, $"Captions may be at most {Subtitles.MaxBytes / 1024} KiB.") { ErrorCode = "too_long" });
            return;
        }
        var errors = new List<SubtitleError>();
        Subtitles.Parse(text, errors);
        foreach (var error in errors.Take(20))
        {
            context.AddFailure(new FluentValidation.Results.ValidationFailure(context.PropertyPath, $"Line {error.Line}: {error.Message}") { ErrorCode = "invalid_subtitle" });
        }
    }

    public static bool IsBuiltInFont(string family) => BuiltInFonts.Contains(family, StringComparer.OrdinalIgnoreCase);
}

public sealed class CompositionValidator : AbstractValidator<Composition>
{
    public CompositionValidator()
    {
        RuleFor(x => x.Duration).GreaterThan(0).LessThanOrEqualTo(CompositionRules.MaxDuration).When(x => x.Duration is not null);
        RuleFor(x => x.Background).NotEmpty().Must(b => b == CompositionRules.Transparent || CompositionRules.IsColour(b))
            .WithErrorCode("invalid_color").WithMessage("'background' must be a colour like #1e90ff or #1e90ff80, or 'transparent'.");
        RuleFor(x => x.Ducking!.AmountDb).InclusiveBetween(0, 60).OverridePropertyName("ducking.amount_db").When(x => x.Ducking?.AmountDb is not null);
        RuleFor(x => x.Ducking!.Under).IsInEnum().OverridePropertyName("ducking.under").When(x => x.Ducking is not null);
        RuleFor(x => x.Fonts).Must(f => f is null || f.Count <= 20).WithErrorCode("too_many").WithMessage("At most 20 fonts.");
        RuleFor(x => x.Layers).NotNull().Must(l => l is null || l.Count <= CompositionRules.MaxLayers)
            .WithErrorCode("too_many").WithMessage($"At most {CompositionRules.MaxLayers} layers.");
        RuleForEach(x => x.Layers).SetValidator(c => new LayerValidator(c.Duration, uploadedFonts: c.Fonts is { Count: > 0 }));
    }
}

public sealed class LayerValidator : AbstractValidator<Layer>
{
    /// <param name="compositionDuration">The composition's, when it gives one.</param>
    /// <param name="uploadedFonts">Whether the composition lists uploaded fonts: a family is then checked once their names are known (RenderDrafts).</param>
    public LayerValidator(double? compositionDuration, bool uploadedFonts = false)
    {
        RuleFor(x => x.Type).IsInEnum();
        RuleFor(x => x.Id).Must(id => CompositionRules.IsLayerId(id!)).When(x => x.Id is not null)
            .WithErrorCode("invalid_id").WithMessage("'id' must be 1–64 characters of a–z, 0–9, '_' and '-'.");
        RuleFor(x => x.Start).GreaterThanOrEqualTo(0).When(x => x.StartAt.After is null);
        RuleFor(x => x.Start).LessThan(compositionDuration ?? 0).When(x => x.StartAt.After is null && compositionDuration is not null)
            .WithMessage("'start' must be within the composition's duration.");
        RuleFor(x => x.TrimDuration).GreaterThan(0).When(x => x.TrimDuration is not null);
        RuleFor(x => x.Speed).InclusiveBetween(0.25, 4).When(x => x.Speed is not null);
        RuleFor(x => x.AudioFadeIn).InclusiveBetween(0, 60).When(x => x.AudioFadeIn is not null);
        RuleFor(x => x.AudioFadeOut).InclusiveBetween(0, 60).When(x => x.AudioFadeOut is not null);
        RuleFor(x => x.Role).IsInEnum().When(x => x.Role is not null);
        RuleFor(x => x).Must(x => x.TrimDuration is null && x.Speed is null && x.Loop is null && x.AudioFadeIn is null && x.AudioFadeOut is null)
            .When(x => x.Type is not (LayerType.Video or LayerType.Audio)).OverridePropertyName("type")
            .WithErrorCode("not_supported").WithMessage("'trim_duration', 'speed', 'loop' and the audio fades belong to video and audio layers.");
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
        RuleFor(x => x.Transition!.In!.Duration).InclusiveBetween(0.01, 30).OverridePropertyName("transition.in.duration").When(x => x.Transition?.In?.Duration is not null);
        RuleFor(x => x.Transition!.Out!.Duration).InclusiveBetween(0.01, 30).OverridePropertyName("transition.out.duration").When(x => x.Transition?.Out?.Duration is not null);
        RuleFor(x => x.Transition).Must(t => t is null).When(x => x.Type == LayerType.Audio)
            .WithErrorCode("not_supported").WithMessage("An audio layer has no picture to transition: use 'audio_fade_in' and 'audio_fade_out'.");
        RuleFor(x => x.Effect).Must(e => e is null).When(x => x.Type is not (LayerType.Image or LayerType.Video))
            .WithErrorCode("not_supported").WithMessage("'effect' moves the picture inside an image or video layer's box.");
        RuleFor(x => x.Filter).Must(f => f is null).When(x => x.Type == LayerType.Audio)
            .WithErrorCode("not_supported").WithMessage("An audio layer has no picture to filter.");
        RuleFor(x => x.Keyframes!).SetValidator(x => new KeyframesValidator(x.Type)).OverridePropertyName("keyframes").When(x => x.Keyframes is not null);
        RuleFor(x => x.Position!.X).Must(CompositionRules.HorizontalOk).OverridePropertyName("position.x").When(x => x.Position is not null)
            .WithErrorCode("invalid_position").WithMessage("'position.x' must be pixels, a percentage, or left, center, right.");
        RuleFor(x => x.Position!.Y).Must(CompositionRules.VerticalOk).OverridePropertyName("position.y").When(x => x.Position is not null)
            .WithErrorCode("invalid_position").WithMessage("'position.y' must be pixels or top, center, bottom.");

        When(x => x.Type == LayerType.Color, () => RuleFor(x => x.Color).NotEmpty().Colour());
        When(x => x.Type == LayerType.Text, () =>
        {
            RuleFor(x => x.Text).NotNull().MaximumLength(CompositionRules.MaxTextLength);
            RuleFor(x => x.Style!).SetValidator(x => new TextStyleValidator(x.Size is not null, uploadedFonts)).OverridePropertyName("style").When(x => x.Style is not null);
        });
        When(x => x.Type == LayerType.Caption, () =>
        {
            RuleFor(x => x).Must(x => (x.AssetId is null ? 0 : 1) + (x.Srt is null ? 0 : 1) + (x.Vtt is null ? 0 : 1) == 1).OverridePropertyName("srt")
                .WithErrorCode("exclusive").WithMessage("A caption layer takes exactly one of 'asset_id' (a subtitle asset), 'srt' or 'vtt'.");
            RuleFor(x => x.Srt).Custom((text, context) => CompositionRules.CheckSubtitles(text, context)).When(x => x.Srt is not null);
            RuleFor(x => x.Vtt).Custom((text, context) => CompositionRules.CheckSubtitles(text, context)).When(x => x.Vtt is not null);
            RuleFor(x => x.MaxLines).InclusiveBetween(1, 10).When(x => x.MaxLines is not null);
            RuleFor(x => x.Style!).SetValidator(x => new TextStyleValidator(x.Size is not null, uploadedFonts)).OverridePropertyName("style").When(x => x.Style is not null);
        });
        RuleFor(x => x).Must(x => x.Srt is null && x.Vtt is null && x.MaxLines is null).When(x => x.Type != LayerType.Caption).OverridePropertyName("type")
            .WithErrorCode("not_supported").WithMessage("'srt', 'vtt' and 'max_lines' belong to caption layers.");
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
        {
            RuleFor(x => x.AssetId).NotNull().WithErrorCode("required").WithMessage("'asset_id' or 'src' is required for image, video and audio layers.")
                .When(x => x.Src is null);
            RuleFor(x => x.Src).Must(_ => false).WithErrorCode("exclusive").WithMessage("Give either 'asset_id' or 'src', not both.")
                .When(x => x.Src is not null && x.AssetId is not null);
            RuleFor(x => x.Src).MaximumLength(2048).Must(u => Uri.TryCreate(u, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp))
                .WithErrorCode("invalid_url").WithMessage("'src' must be an absolute https URL.").When(x => x.Src is not null);
        });
        RuleFor(x => x.Src).Must(_ => false).WithErrorCode("not_applicable").WithMessage("'src' applies to image, video and audio layers.")
            .When(x => x.Src is not null && x.Type is not (LayerType.Image or LayerType.Video or LayerType.Audio));
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
        var errors = result.Errors
            .Select(e => new FieldError(fieldPrefix + "." + e.PropertyName, ValidationNaming.Code(e.ErrorCode), e.ErrorMessage.Replace("'" + e.PropertyName + "'", "'" + fieldPrefix + "." + e.PropertyName + "'", StringComparison.Ordinal)))
            .ToList();
        return errors.Count > 0 ? errors : Timeline.CheckReferences(composition, fieldPrefix);
    }
}
