using FluentValidation;
using RenderOwl.Domain.Rendering;

namespace RenderOwl.Application.Rendering;

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

/// <summary>At most 50 keyframes per property, times from 0 strictly increasing, values in each property's range; volume only on media with sound, the rest only on pictures.</summary>
public sealed class KeyframesValidator : AbstractValidator<Keyframes>
{
    public const int MaxPerProperty = 50;

    public KeyframesValidator(LayerType type)
    {
        var visual = type != LayerType.Audio;
        var sounding = type is LayerType.Audio or LayerType.Video;
        Property(x => x.X, "x", -20_000, 20_000, visual);
        Property(x => x.Y, "y", -20_000, 20_000, visual);
        Property(x => x.Scale, "scale", 0, 20, visual);
        Property(x => x.Opacity, "opacity", 0, 1, visual);
        Property(x => x.Rotation, "rotation", -3600, 3600, visual);
        Property(x => x.Volume, "volume", 0, 10, sounding);
    }

    private void Property(System.Linq.Expressions.Expression<Func<Keyframes, IReadOnlyList<Keyframe>?>> frames, string name, double min, double max, bool applies)
    {
        var read = frames.Compile();
        RuleFor(frames).Must(_ => applies).When(x => read(x) is not null).OverridePropertyName(name)
            .WithErrorCode("not_supported").WithMessage($"'{name}' cannot be keyframed on this type of layer.");
        RuleFor(frames).Must(f => f!.Count is >= 1 and <= MaxPerProperty).When(x => read(x) is not null).OverridePropertyName(name)
            .WithErrorCode("out_of_range").WithMessage($"'{name}' takes 1 to {MaxPerProperty} keyframes.");
        RuleFor(frames).Must(f => f!.Zip(f!.Skip(1)).All(p => p.Second.Time > p.First.Time)).When(x => read(x) is not null).OverridePropertyName(name)
            .WithErrorCode("not_increasing").WithMessage($"'{name}' keyframes must be in order of strictly increasing 'time'.");
        RuleForEach(x => read(x) ?? Array.Empty<Keyframe>()).ChildRules(k =>
        {
            k.RuleFor(f => f.Time).InclusiveBetween(0, CompositionRules.MaxDuration);
            k.RuleFor(f => f.Value).InclusiveBetween(min, max);
            k.RuleFor(f => f.Easing).IsInEnum().When(f => f.Easing is not null);
        }).OverridePropertyName(name).When(x => read(x) is not null);
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
    public TextStyleValidator(bool sized, bool uploadedFonts = false)
    {
        RuleFor(x => x.FontFamily).Must(f => CompositionRules.IsBuiltInFont(f!)).When(x => x.FontFamily is not null && !uploadedFonts)
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

