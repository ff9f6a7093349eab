using FluentValidation;

namespace RenderOwl.Application.Rendering;

/// <summary>
/// The output settings beyond format, size and rate: <c>still_at</c>, <c>poster</c>, <c>thumbnails</c>, <c>loudness</c>
/// and <c>range</c>, each only with the formats it means something for. What needs the resolved timeline (a still or
/// poster past the end) is checked in <see cref="RenderDrafts"/>.
/// </summary>
public sealed class OutputExtrasValidator : AbstractValidator<RenderRequest>
{
    public const int MaxThumbnails = 100;

    public OutputExtrasValidator()
    {
        RuleFor(x => x.OutputSettings!.StillAt).GreaterThanOrEqualTo(0).OverridePropertyName("output_settings.still_at")
            .When(x => x.OutputSettings?.StillAt is not null);
        RuleFor(x => x.OutputSettings!.StillAt).Must(_ => false).WithErrorCode("not_applicable")
            .WithMessage("'output_settings.still_at' applies to png and jpg only.").OverridePropertyName("output_settings.still_at")
            .When(x => x.OutputSettings?.StillAt is not null && !x.Output().IsStill);
        RuleFor(x => x.OutputSettings!.Range).Must(_ => false).WithErrorCode("not_applicable")
            .WithMessage("A still is one frame: give 'still_at', not 'range'.").OverridePropertyName("output_settings.range")
            .When(x => x.OutputSettings?.Range is not null && x.Output().IsStill);
        RuleFor(x => x.OutputSettings!.Poster!.At).GreaterThanOrEqualTo(0).OverridePropertyName("output_settings.poster.at")
            .When(x => x.OutputSettings?.Poster?.At is not null);
        RuleFor(x => x.OutputSettings!.Thumbnails!.Count).InclusiveBetween(1, MaxThumbnails).OverridePropertyName("output_settings.thumbnails.count")
            .When(x => x.OutputSettings?.Thumbnails is not null);
        RuleFor(x => x.OutputSettings!.Poster).Must(_ => false).WithErrorCode("not_applicable")
            .WithMessage("Posters and thumbnails are made for video formats (mp4, webm, gif, mov_alpha).").OverridePropertyName("output_settings.poster")
            .When(x => (x.OutputSettings?.Poster is not null || x.OutputSettings?.Thumbnails is not null) && !x.Output().IsVideo);
        RuleFor(x => x.OutputSettings!.Loudness!.TargetLufs).InclusiveBetween(-70, -5).OverridePropertyName("output_settings.loudness.target_lufs")
            .When(x => x.OutputSettings?.Loudness is not null);
        RuleFor(x => x.OutputSettings!.Loudness).Must(_ => false).WithErrorCode("not_applicable")
            .WithMessage("'output_settings.loudness' needs a format with sound (mp4, webm, mov_alpha, mp3).").OverridePropertyName("output_settings.loudness")
            .When(x => x.OutputSettings?.Loudness is not null && !x.Output().HasSound);
    }
}
