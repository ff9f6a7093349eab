using System.Text.Json;
using FluentValidation;
using RenderOwl.Domain.Common;
using RenderOwl.Domain.Rendering;

namespace RenderOwl.Application.Rendering;

/// <summary>Output settings as asked for; what is left out takes the documented default (mp4, 1280×720, 30 fps, standard).</summary>
public sealed record OutputSettingsRequest(OutputFormat? Format, int? Width, int? Height, double? Fps, Quality? Quality)
{
    /// <summary>The fractional rates accepted besides whole numbers: the NTSC 24000/1001, 30000/1001 and 60000/1001.</summary>
    public static readonly IReadOnlyList<double> FractionalRates = [23.976, 29.97, 59.94];

    public static readonly IReadOnlyDictionary<string, (int W, int H)> AspectRatios = new Dictionary<string, (int W, int H)>(StringComparer.Ordinal)
    {
        ["16:9"] = (16, 9), ["9:16"] = (9, 16), ["1:1"] = (1, 1), ["4:5"] = (4, 5),
    };

    /// <summary>Render only this part of the timeline: <c>{start, duration}</c> in seconds.</summary>
    public TimeRange? Range { get; init; }

    /// <summary><c>16:9</c>, <c>9:16</c>, <c>1:1</c> or <c>4:5</c> with one of width and height: the other is derived (rounded to even).</summary>
    public string? AspectRatio { get; init; }

    /// <summary>png/jpg: the moment on the timeline the still is taken at (default 0).</summary>
    public double? StillAt { get; init; }

    /// <summary><c>{at}</c>: the second the video's JPEG poster shows (default 1 s, or the middle of shorter outputs).</summary>
    public PosterSettings? Poster { get; init; }

    /// <summary><c>{count}</c>: a contact sheet of that many frames.</summary>
    public ThumbnailSettings? Thumbnails { get; init; }

    /// <summary><c>{target_lufs}</c>: the mix normalised to that integrated loudness (two-pass loudnorm).</summary>
    public LoudnessSettings? Loudness { get; init; }

    public OutputSettings ToSettings()
    {
        if (Format == OutputFormat.Mp3)
        {
            // Sound only: no picture size or frame rate.
            return new(OutputFormat.Mp3, 0, 0, 0, Quality ?? Domain.Rendering.Quality.Standard) { Range = Range, Loudness = Loudness };
        }
        var (width, height) = (Width, Height);
        if (AspectRatio is { } ratio && AspectRatios.TryGetValue(ratio, out var r))
        {
            (width, height) = (width, height) switch
            {
                ({ } w, null) => (w, Even(w * r.H / (double)r.W)),
                (null, { } h) => (Even(h * r.W / (double)r.H), h),
                (null, null) => r.W >= r.H ? (1280, Even(1280 * r.H / (double)r.W)) : (Even(1280 * r.W / (double)r.H), 1280),
                _ => (width, height), // both given: refused by the validator
            };
        }
        return new(Format ?? OutputFormat.Mp4, width ?? 1280, height ?? 720, Fps ?? 30, Quality ?? Domain.Rendering.Quality.Standard)
        {
            Range = Range, StillAt = StillAt, Poster = Poster, Thumbnails = Thumbnails, Loudness = Loudness,
        };
    }

    private static int Even(double value) => (int)Math.Round(value / 2, MidpointRounding.AwayFromZero) * 2;
}

/// <summary>One render request as the API receives it: a composition, or a template with modifications.</summary>
public sealed record RenderRequest(
    JsonElement? Composition, TemplateId? TemplateId, Dictionary<string, JsonElement>? Modifications, OutputSettingsRequest? OutputSettings,
    RenderPriority? Priority, string? WebhookUrl, IReadOnlyList<string>? Tags, JsonElement? Metadata)
{
    public OutputSettings Output() => (OutputSettings ?? new OutputSettingsRequest(null, null, null, null, null)).ToSettings();

    public bool HasComposition => Composition is { ValueKind: not JsonValueKind.Null and not JsonValueKind.Undefined };

    /// <summary>Refuse the render (400) when the dry run would warn about its layout; the warnings become field errors.</summary>
    public bool FailOnWarnings { get; init; }

    /// <summary>false: render even when an identical earlier render's output could be reused (memoization).</summary>
    public bool? Cache { get; init; }
}

/// <summary>The rules a request meets on its own; what needs the account's templates, assets and tier is <see cref="RenderDrafts"/>.</summary>
public sealed class RenderRequestValidator : AbstractValidator<RenderRequest>
{
    public RenderRequestValidator()
    {
        RuleFor(x => x).Must(x => x.HasComposition ^ (x.TemplateId is not null))
            .WithName("composition").OverridePropertyName("composition").WithErrorCode("exclusive").WithMessage("Give either 'composition' or 'template_id'.");
        RuleFor(x => x.Output().Format).IsInEnum().OverridePropertyName("output_settings.format");
        RuleFor(x => x.Output().Quality).IsInEnum().OverridePropertyName("output_settings.quality");
        RuleFor(x => x.Output().Fps).InclusiveBetween(1, 60).Must(f => f == Math.Floor(f) || OutputSettingsRequest.FractionalRates.Contains(f))
            .WithErrorCode("invalid_fps").WithMessage("'output_settings.fps' must be a whole number from 1 to 60, or 23.976, 29.97 or 59.94.")
            .OverridePropertyName("output_settings.fps").When(x => x.Output().Format != OutputFormat.Mp3);
        RuleFor(x => x.Output().Width).Must(w => w >= 16 && w % 2 == 0).WithErrorCode("invalid_size").WithMessage("'output_settings.width' must be even and at least 16.")
            .OverridePropertyName("output_settings.width").When(x => x.Output().Format != OutputFormat.Mp3);
        RuleFor(x => x.Output().Height).Must(h => h >= 16 && h % 2 == 0).WithErrorCode("invalid_size").WithMessage("'output_settings.height' must be even and at least 16.")
            .OverridePropertyName("output_settings.height").When(x => x.Output().Format != OutputFormat.Mp3);
        Include(new OutputExtrasValidator());
        RuleFor(x => x.OutputSettings!.AspectRatio).Must(a => OutputSettingsRequest.AspectRatios.ContainsKey(a!))
            .When(x => x.OutputSettings?.AspectRatio is not null).OverridePropertyName("output_settings.aspect_ratio")
            .WithErrorCode("invalid_value").WithMessage("'output_settings.aspect_ratio' must be 16:9, 9:16, 1:1 or 4:5.");
        RuleFor(x => x.OutputSettings!.AspectRatio).Must(_ => false)
            .When(x => x.OutputSettings is { AspectRatio: not null, Width: not null, Height: not null }).OverridePropertyName("output_settings.aspect_ratio")
            .WithErrorCode("exclusive").WithMessage("Give 'aspect_ratio' with one of 'width' and 'height', not both: the other is derived.");
        RuleFor(x => x.Output().Range!.Start).GreaterThanOrEqualTo(0).OverridePropertyName("output_settings.range.start").When(x => x.Output().Range is not null);
        RuleFor(x => x.Output().Range!.Duration).GreaterThan(0).LessThanOrEqualTo(CompositionRules.MaxDuration)
            .OverridePropertyName("output_settings.range.duration").When(x => x.Output().Range is not null);
        RuleFor(x => x.Priority).IsInEnum().When(x => x.Priority is not null);
        RuleFor(x => x.Tags).Must(t => t is null || (t.Count <= 20 && t.All(s => !string.IsNullOrWhiteSpace(s) && s.Length <= 64)))
            .WithErrorCode("invalid_tags").WithMessage("At most 20 tags of 1–64 characters.");
        RuleFor(x => x.Metadata).Must(m => m is null || m.Value.ValueKind == JsonValueKind.Null || (m.Value.ValueKind == JsonValueKind.Object && m.Value.GetRawText().Length <= 16 * 1024))
            .WithErrorCode("invalid_metadata").WithMessage("'metadata' must be an object of at most 16 KiB.");
        RuleFor(x => x.WebhookUrl).Must(u => u is null || (Uri.TryCreate(u, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp) && u.Length <= 2048))
            .WithErrorCode("invalid_url").WithMessage("'webhook_url' must be an absolute http(s) URL.");
    }
}
