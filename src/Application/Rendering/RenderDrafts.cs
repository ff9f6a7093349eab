using System.Text.Json;
using FluentValidation;
using Microsoft.Extensions.Options;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Errors;
using RenderOwl.Application.Common.Json;
using RenderOwl.Application.Common.Tiers;
using RenderOwl.Application.Common.Validation;
using RenderOwl.Domain.Common;
using RenderOwl.Domain.Rendering;

namespace RenderOwl.Application.Rendering;

/// <summary>A render request made ready to queue: its composition (a template's already filled), the assets it uses, and why not if it cannot be.</summary>
public sealed record RenderDraft(RenderRequest Request, string CompositionJson, IReadOnlyList<Guid> AssetIds, IReadOnlyList<FieldError> Errors)
{
    /// <summary>The resolved composition (null when it was refused before resolution).</summary>
    public Composition? Resolved { get; init; }

    /// <summary>The caller's assets the composition uses, by id.</summary>
    public IReadOnlyDictionary<Guid, OwnedAsset> Assets { get; init; } = new Dictionary<Guid, OwnedAsset>();

    /// <summary>What the layout inspection found (computed for a dry run or <c>fail_on_warnings</c>).</summary>
    public IReadOnlyList<FieldError> Warnings { get; init; } = [];
}

/// <summary>
/// The rules of a render request that need the account: its template resolves, its composition is valid, its
/// assets are the caller's and fit their layers, and it stays within the tier (duration, output size). Run by the
/// submit validators; drafts are remembered for the request (scoped), so the handler queues what was checked.
/// Field paths are relative to the request.
/// </summary>
public sealed class RenderDrafts(ICurrentUser current, ITemplateResolver templates, IAssetLookup assets, IOptions<TierOptions> tiers, ILayoutInspector layout,
    IAssetSources sources, IOptions<RenderSourceOptions> sourceOptions)
{
    private readonly Dictionary<RenderRequest, RenderDraft> _drafts = new(ReferenceEqualityComparer.Instance);

    /// <summary>The draft with its layout warnings computed (the dry run), whatever <c>fail_on_warnings</c> says.</summary>
    public async Task<RenderDraft> InspectAsync(ProjectId projectId, RenderRequest request, CancellationToken cancellationToken)
    {
        var draft = await PrepareAsync(projectId, request, cancellationToken);
        return draft is { Resolved: { } resolved, Warnings.Count: 0 } ? draft with { Warnings = await layout.WarningsAsync(resolved, request.Output(), draft.Assets, cancellationToken) } : draft;
    }

    /// <summary>The request checked against the account's templates, assets and tier; layers' <c>src</c> URLs imported into <paramref name="projectId"/>'s assets.</summary>
    public async Task<RenderDraft> PrepareAsync(ProjectId projectId, RenderRequest request, CancellationToken cancellationToken)
    {
        if (!_drafts.TryGetValue(request, out var draft))
        {
            draft = await DraftAsync(projectId, request, cancellationToken);
            _drafts[request] = draft;
        }
        return draft;
    }

    /// <summary>A draft checked by the validator; a request that reaches a handler unchecked is a programming error.</summary>
    public RenderDraft Checked(RenderRequest request)
        => _drafts.TryGetValue(request, out var draft) && draft.Errors.Count == 0 ? draft
            : throw new InvalidOperationException("A render request reached its handler without passing RenderDrafts in its validator.");

    private async Task<RenderDraft> DraftAsync(ProjectId projectId, RenderRequest request, CancellationToken cancellationToken)
    {
        var errors = new List<FieldError>();
        JsonElement json;
        if (request.TemplateId is { } templateId)
        {
            var resolution = await templates.ResolveAsync(templateId, request.Modifications, cancellationToken);
            if (resolution is null || resolution.Errors.Count > 0)
            {
                return Refused(request, resolution?.Errors ?? [new FieldError("template_id", "unknown_template", "'template_id' is not one of your templates.")]);
            }
            json = resolution.Composition;
        }
        else
        {
            json = request.Composition!.Value;
        }
        var problems = CompositionParser.Parse(json, "composition", out var composition);
        if (composition is null || problems.Count > 0)
        {
            return Refused(request, problems);
        }
        if (composition.Layers.Any(l => l.Src is not null))
        {
            composition = await ImportSourcesAsync(projectId, composition, errors, cancellationToken);
            if (errors.Count > 0)
            {
                return Refused(request, errors);
            }
        }
        var fontIds = (composition.Fonts ?? []).Select(f => f.AssetId.Value).ToList();
        var assetIds = composition.Layers.Where(l => l.AssetId is not null).Select(l => l.AssetId!.Value.Value).Concat(fontIds).Distinct().ToList();
        var owned = assetIds.Count == 0 ? new Dictionary<Guid, OwnedAsset>() : await assets.FindOwnedAsync(assetIds, current.Id, cancellationToken);
        for (var l = 0; l < composition.Layers.Count; l++)
        {
            var layer = composition.Layers[l];
            if (layer.AssetId is not { } assetId)
            {
                continue;
            }
            var field = $"composition.layers[{l}].asset_id";
            if (!owned.TryGetValue(assetId.Value, out var asset))
            {
                errors.Add(new FieldError(field, "unknown_asset", $"'{field}' is not one of your assets."));
            }
            else if (!KindFits(layer.Type, asset.Kind))
            {
                errors.Add(new FieldError(field, "wrong_asset_kind", $"A {layer.Type.ToString().ToLowerInvariant()} layer cannot use a {asset.Kind} asset."));
            }
        }
        CheckFonts(composition, owned, errors);
        if (errors.Count > 0)
        {
            return Refused(request, errors);
        }
        // Starts after other layers, media lengths and the duration itself, settled now: the render stores (and renders) the resolved timeline.
        var resolved = Timeline.Resolve(composition, id => owned.TryGetValue(id.Value, out var a) ? a.DurationSeconds : null, "composition", errors);
        if (resolved is null)
        {
            return Refused(request, errors);
        }
        CheckTier(resolved, request.Output(), tiers.Value.For(current.Tier), errors);
        var warnings = request.FailOnWarnings ? await layout.WarningsAsync(resolved, request.Output(), owned, cancellationToken) : [];
        errors.AddRange(warnings); // fail_on_warnings: each warning refuses the render as a field error
        return new RenderDraft(request, JsonSerializer.Serialize(resolved, ApiJson.Options), assetIds, errors)
        {
            Resolved = resolved, Assets = owned, Warnings = warnings,
        };
    }

    /// <summary>
    /// Each layer's <c>src</c> imported (or revalidated) as an asset of the caller and put in the layer's <c>asset_id</c>: the
    /// render stores and renders assets only, so its manifest, memoization and retries never fetch again. A URL that cannot
    /// be used is a field error on that layer's <c>src</c>, with the problem's code (<c>url_not_allowed</c>, <c>fetch_failed</c>, …).
    /// </summary>
    private async Task<Composition> ImportSourcesAsync(ProjectId projectId, Composition composition, List<FieldError> errors, CancellationToken cancellationToken)
    {
        var layers = composition.Layers.ToList();
        var options = sourceOptions.Value;
        if (layers.Count(l => l.Src is not null) > options.MaxPerRender)
        {
            errors.Add(new FieldError("composition.layers", "too_many_sources", $"At most {options.MaxPerRender} layers may have 'src'; upload the rest as assets."));
            return composition;
        }
        var imported = new Dictionary<string, AssetId>(StringComparer.Ordinal);
        for (var l = 0; l < layers.Count; l++)
        {
            if (layers[l].Src is not { } src)
            {
                continue;
            }
            var field = $"composition.layers[{l}].src";
            var url = new Uri(src);
            if (url.Scheme != Uri.UriSchemeHttps && !options.AllowHttp)
            {
                errors.Add(new FieldError(field, "https_required", $"'{field}' must be an https URL."));
                continue;
            }
            if (!imported.TryGetValue(src, out var id))
            {
                try
                {
                    id = AssetId.From((await sources.ImportAsync(projectId, url, cancellationToken)).Asset.Id);
                    imported[src] = id;
                }
                catch (AppException ex) when (ex is not NotFoundException) // someone else's project stays a 404
                {
                    errors.Add(new FieldError(field, ex.Type.Slug.Replace('-', '_'), $"'{field}' could not be imported: {ex.Message}"));
                    continue;
                }
            }
            layers[l] = layers[l] with { AssetId = id, Src = null };
        }
        return composition with { Layers = layers };
    }

    /// <summary>Listed fonts are the caller's font assets; every family a text or caption layer names is built in or one of theirs.</summary>
    private static void CheckFonts(Composition composition, IReadOnlyDictionary<Guid, OwnedAsset> owned, List<FieldError> errors)
    {
        var families = new HashSet<string>(CompositionRules.BuiltInFonts, StringComparer.OrdinalIgnoreCase);
        var fonts = composition.Fonts ?? [];
        for (var i = 0; i < fonts.Count; i++)
        {
            var field = $"composition.fonts[{i}].asset_id";
            if (!owned.TryGetValue(fonts[i].AssetId.Value, out var font))
            {
                errors.Add(new FieldError(field, "unknown_asset", $"'{field}' is not one of your assets."));
            }
            else if (font.Kind != "font" || font.FontFamily is null)
            {
                errors.Add(new FieldError(field, "wrong_asset_kind", $"'{field}' is a {font.Kind} asset, not a font."));
            }
            else
            {
                families.Add(font.FontFamily);
            }
        }
        for (var l = 0; l < composition.Layers.Count; l++)
        {
            if (composition.Layers[l].Style?.FontFamily is { } family && !families.Contains(family))
            {
                errors.Add(new FieldError($"composition.layers[{l}].style.font_family", "unknown_font",
                    $"'{family}' is neither a built-in family ({string.Join(", ", CompositionRules.BuiltInFonts)}) nor the family of a font in 'fonts'."));
            }
        }
    }

    private static RenderDraft Refused(RenderRequest request, IReadOnlyList<FieldError> errors) => new(request, "", [], errors);

    private static void CheckTier(Composition composition, OutputSettings output, TierLimits limits, List<FieldError> errors)
    {
        if (output.Range is { } range && range.Start >= composition.Seconds)
        {
            errors.Add(new FieldError("output_settings.range.start", "out_of_range", $"'output_settings.range.start' must be within the composition's {composition.Seconds:0.###} s."));
        }
        if (output.IsStill && output.StillAt is { } at && at >= composition.Seconds)
        {
            errors.Add(new FieldError("output_settings.still_at", "out_of_range", $"'output_settings.still_at' must be within the composition's {composition.Seconds:0.###} s."));
        }
        if (output.Poster?.At is { } poster && poster >= output.OutputSeconds(composition.Seconds))
        {
            errors.Add(new FieldError("output_settings.poster.at", "out_of_range", $"'output_settings.poster.at' must be within the output's {output.OutputSeconds(composition.Seconds):0.###} s."));
        }
        if (output.OutputSeconds(composition.Seconds) > limits.MaxRenderSeconds)
        {
            errors.Add(new FieldError("composition.duration", "exceeds_tier", $"Your tier renders at most {limits.MaxRenderSeconds} s."));
        }
        var (longSide, shortSide) = (Math.Max(output.Width, output.Height), Math.Min(output.Width, output.Height));
        var (maxLong, maxShort) = (Math.Max(limits.MaxOutputWidth, limits.MaxOutputHeight), Math.Min(limits.MaxOutputWidth, limits.MaxOutputHeight));
        if (longSide > maxLong || shortSide > maxShort)
        {
            var field = output.Width > limits.MaxOutputWidth ? "width" : "height";
            errors.Add(new FieldError("output_settings." + field, "exceeds_tier", $"Your tier renders at most {limits.MaxOutputWidth}×{limits.MaxOutputHeight}."));
        }
    }

    private static bool KindFits(LayerType layer, string kind) => layer switch
    {
        LayerType.Image => kind == "image",
        LayerType.Video => kind == "video",
        LayerType.Audio => kind is "audio" or "video",
        LayerType.Caption => kind == "subtitle",
        _ => false,
    };
}

public static class RenderDraftRules
{
    /// <summary>The request's own rules, then — when they hold — the account's (<see cref="RenderDrafts"/>), errors under <paramref name="prefix"/>.</summary>
    public static async Task CheckAsync<T>(this ValidationContext<T> context, RenderDrafts drafts, ProjectId projectId, RenderRequest request, string prefix, CancellationToken ct)
    {
        var own = await new RenderRequestValidator().ValidateAsync(request, ct);
        foreach (var failure in own.Errors)
        {
            context.AddFailure(new FluentValidation.Results.ValidationFailure(prefix + failure.PropertyName, failure.ErrorMessage) { ErrorCode = failure.ErrorCode });
        }
        if (own.IsValid)
        {
            context.AddFailures((await drafts.PrepareAsync(projectId, request, ct)).Errors, prefix);
        }
    }
}
