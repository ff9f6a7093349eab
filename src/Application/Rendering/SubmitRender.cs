using System.Text.Json;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Errors;
using RenderOwl.Application.Common.Tiers;
using RenderOwl.Domain.Common;
using RenderOwl.Domain.Identity;
using RenderOwl.Domain.Rendering;

namespace RenderOwl.Application.Rendering;

/// <summary>One render request as the API receives it: a composition, or a template with modifications.</summary>
public sealed record RenderRequest(
    JsonElement? Composition, TemplateId? TemplateId, Dictionary<string, JsonElement>? Modifications, OutputSettings? OutputSettings,
    RenderPriority? Priority, string? WebhookUrl, IReadOnlyList<string>? Tags, JsonElement? Metadata);

public sealed class RenderRequestValidator : AbstractValidator<RenderRequest>
{
    public RenderRequestValidator()
    {
        RuleFor(x => x).Must(x => (x.Composition is { ValueKind: not JsonValueKind.Null and not JsonValueKind.Undefined }) ^ (x.TemplateId is not null))
            .WithName("composition").OverridePropertyName("composition").WithErrorCode("exclusive").WithMessage("Give either 'composition' or 'template_id'.");
        RuleFor(x => x.OutputSettings).NotNull().WithErrorCode("required");
        RuleFor(x => x.OutputSettings!.Format).IsInEnum().OverridePropertyName("output_settings.format").When(x => x.OutputSettings is not null);
        RuleFor(x => x.OutputSettings!.Quality).IsInEnum().OverridePropertyName("output_settings.quality").When(x => x.OutputSettings is not null);
        RuleFor(x => x.OutputSettings!.Fps).InclusiveBetween(1, 60).OverridePropertyName("output_settings.fps").When(x => x.OutputSettings is not null);
        RuleFor(x => x.OutputSettings!.Width).Must(w => w >= 16 && w % 2 == 0).WithErrorCode("invalid_size").WithMessage("'output_settings.width' must be even and at least 16.")
            .OverridePropertyName("output_settings.width").When(x => x.OutputSettings is not null);
        RuleFor(x => x.OutputSettings!.Height).Must(h => h >= 16 && h % 2 == 0).WithErrorCode("invalid_size").WithMessage("'output_settings.height' must be even and at least 16.")
            .OverridePropertyName("output_settings.height").When(x => x.OutputSettings is not null);
        RuleFor(x => x.Priority).IsInEnum().When(x => x.Priority is not null);
        RuleFor(x => x.Tags).Must(t => t is null || (t.Count <= 20 && t.All(s => !string.IsNullOrWhiteSpace(s) && s.Length <= 64)))
            .WithErrorCode("invalid_tags").WithMessage("At most 20 tags of 1–64 characters.");
        RuleFor(x => x.Metadata).Must(m => m is null || m.Value.ValueKind == JsonValueKind.Null || (m.Value.ValueKind == JsonValueKind.Object && m.Value.GetRawText().Length <= 16 * 1024))
            .WithErrorCode("invalid_metadata").WithMessage("'metadata' must be an object of at most 16 KiB.");
        RuleFor(x => x.WebhookUrl).Must(u => u is null || (Uri.TryCreate(u, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp) && u.Length <= 2048))
            .WithErrorCode("invalid_url").WithMessage("'webhook_url' must be an absolute http(s) URL.");
    }
}

public sealed record SubmitRenderCommand(ProjectId ProjectId, RenderRequest Request) : ITransactionalCommand<RenderResponse>;

public sealed class SubmitRenderValidator : AbstractValidator<SubmitRenderCommand>
{
    public SubmitRenderValidator() => RuleFor(x => x.Request).SetValidator(new RenderRequestValidator()).OverridePropertyName("");
}

public sealed class SubmitRenderHandler(RenderSubmission submission) : ICommandHandler<SubmitRenderCommand, RenderResponse>
{
    public async ValueTask<RenderResponse> Handle(SubmitRenderCommand command, CancellationToken cancellationToken)
        => (await submission.SubmitAsync(command.ProjectId, [command.Request], cancellationToken))[0];
}

/// <summary>A null item (<c>{"renders": [null]}</c>) is a field error, never a fault.</summary>
public sealed record SubmitRenderBatchCommand(ProjectId ProjectId, IReadOnlyList<RenderRequest?> Renders) : ITransactionalCommand<IReadOnlyList<RenderResponse>>;

public sealed class SubmitRenderBatchValidator : AbstractValidator<SubmitRenderBatchCommand>
{
    public const int MaxBatch = 100;

    public SubmitRenderBatchValidator()
    {
        RuleFor(x => x.Renders).NotEmpty().Must(r => r is null || r.Count <= MaxBatch).WithErrorCode("too_many").WithMessage($"At most {MaxBatch} renders per batch.");
        RuleForEach(x => x.Renders).NotNull().WithErrorCode("required").WithMessage("A render of the batch is null; send an object.")
            .SetValidator(new RenderRequestValidator()!);
    }
}

public sealed class SubmitRenderBatchHandler(RenderSubmission submission) : ICommandHandler<SubmitRenderBatchCommand, IReadOnlyList<RenderResponse>>
{
    public async ValueTask<IReadOnlyList<RenderResponse>> Handle(SubmitRenderBatchCommand command, CancellationToken cancellationToken)
        => await submission.SubmitAsync(command.ProjectId, command.Renders.Select(r => r!).ToList(), cancellationToken, fieldPrefix: i => $"renders[{i}].");
}

/// <summary>
/// Turns requests into queued renders, all or nothing: templates resolved, compositions validated, assets
/// checked to be the caller's and of the right kind, tier limits applied (duration, output size, renders/hour).
/// </summary>
public sealed class RenderSubmission(IAppDbContext db, ICurrentUser current, IProjectAccess projects, ITemplateResolver templates, IAssetLookup assets,
    IWebhookTargets webhookTargets, IRenderSignals signals, IOptions<TierOptions> tiers, IOptions<RenderQueueOptions> queue, TimeProvider clock)
{
    public async Task<IReadOnlyList<RenderResponse>> SubmitAsync(ProjectId projectId, IReadOnlyList<RenderRequest> requests, CancellationToken cancellationToken,
        Func<int, string>? fieldPrefix = null)
    {
        fieldPrefix ??= _ => "";
        var owner = current.Id;
        await projects.EnsureOwnedAsync(projectId, owner, cancellationToken);
        var limits = tiers.Value.For(current.Tier);
        var now = clock.GetUtcNow();
        await EnforceQuotaAsync(owner, limits, requests.Count, now, cancellationToken);

        var errors = new List<FieldError>();
        var prepared = new List<(RenderRequest Request, string Json, List<Guid> Assets)>();
        for (var i = 0; i < requests.Count; i++)
        {
            var request = requests[i];
            var prefix = fieldPrefix(i);
            if (request.WebhookUrl is { } webhookUrl)
            {
                await webhookTargets.EnsureAllowedAsync(webhookUrl, prefix + "webhook_url", cancellationToken); // 400 url-not-allowed
            }
            var compositionJson = request.TemplateId is { } templateId
                ? await ResolveAsync(templateId, request.Modifications, prefix, errors, cancellationToken)
                : request.Composition!.Value;
            if (compositionJson is not { } json)
            {
                continue;
            }
            var problems = CompositionParser.Parse(json, prefix + "composition", out var composition);
            errors.AddRange(problems);
            if (composition is null || problems.Count > 0)
            {
                continue;
            }
            CheckTier(composition, request.OutputSettings!, limits, prefix, errors);
            var assetIds = composition.Layers.Where(l => l.AssetId is not null).Select(l => l.AssetId!.Value.Value).Distinct().ToList();
            var owned = assetIds.Count == 0 ? new Dictionary<Guid, OwnedAsset>() : await assets.FindOwnedAsync(assetIds, owner, cancellationToken);
            for (var l = 0; l < composition.Layers.Count; l++)
            {
                var layer = composition.Layers[l];
                if (layer.AssetId is not { } assetId)
                {
                    continue;
                }
                var field = $"{prefix}composition.layers[{l}].asset_id";
                if (!owned.TryGetValue(assetId.Value, out var asset))
                {
                    errors.Add(new FieldError(field, "unknown_asset", $"'{field}' is not one of your assets."));
                }
                else if (!KindFits(layer.Type, asset.Kind))
                {
                    errors.Add(new FieldError(field, "wrong_asset_kind", $"A {layer.Type.ToString().ToLowerInvariant()} layer cannot use a {asset.Kind} asset."));
                }
            }
            prepared.Add((request, json.GetRawText(), assetIds));
        }
        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }
        var watermark = current.Mode == ApiKeyMode.Test;
        var renders = prepared.Select(p => Render.Submit(projectId, owner, p.Request.TemplateId, p.Json, p.Assets, p.Request.OutputSettings!,
            p.Request.Priority ?? RenderPriority.Normal, watermark, p.Request.Tags ?? [],
            p.Request.Metadata is { ValueKind: JsonValueKind.Object } m ? m.GetRawText() : "{}", p.Request.WebhookUrl,
            limits.ConcurrentRenders, queue.Value.MaxAttempts, now)).ToList();
        // The project's render_count, in the same transaction: it can never disagree with the renders that exist.
        await projects.CountRendersAsync(projectId, renders.Count, cancellationToken);
        db.Renders.AddRange(renders); // one INSERT batch, one round trip for the whole request
        foreach (var render in renders)
        {
            db.RenderEvents.Add(RenderEvent.For(render, now, "submitted"));
        }
        await db.SaveChangesAsync(cancellationToken);
        await signals.RenderQueuedAsync(cancellationToken); // delivered at commit
        return renders.Select(RenderResponse.From).ToList();
    }

    private async Task<JsonElement?> ResolveAsync(TemplateId templateId, Dictionary<string, JsonElement>? modifications, string prefix, List<FieldError> errors, CancellationToken ct)
    {
        try
        {
            return await templates.ResolveAsync(templateId, modifications, ct);
        }
        catch (ValidationFailedException ex)
        {
            errors.AddRange(ex.Errors.Select(e => e with { Field = prefix + e.Field }));
            return null;
        }
        catch (NotFoundException)
        {
            errors.Add(new FieldError(prefix + "template_id", "unknown_template", "'template_id' is not one of your templates."));
            return null;
        }
    }

    private async Task EnforceQuotaAsync(UserId owner, TierLimits limits, int count, DateTimeOffset now, CancellationToken ct)
    {
        if (limits.RendersPerHour is not { } perHour)
        {
            return;
        }
        var since = now.AddHours(-1);
        var recent = await db.Renders.Where(r => r.OwnerId == owner && r.CreatedAt > since).OrderBy(r => r.CreatedAt).Select(r => r.CreatedAt).ToListAsync(ct);
        if (recent.Count + count > perHour)
        {
            // The earliest moment enough submissions have left the one-hour window.
            var index = Math.Clamp(recent.Count + count - perHour - 1, 0, Math.Max(0, recent.Count - 1));
            var wait = recent.Count == 0 ? TimeSpan.FromHours(1) : recent[index].AddHours(1) - now;
            throw new RateLimitedException($"Your tier allows {perHour} renders per hour; {recent.Count} were submitted in the last hour.",
                wait < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : wait, ErrorCatalog.RenderQuotaExceeded);
        }
    }

    private static void CheckTier(Composition composition, OutputSettings output, TierLimits limits, string prefix, List<FieldError> errors)
    {
        if (composition.Duration > limits.MaxRenderSeconds)
        {
            errors.Add(new FieldError(prefix + "composition.duration", "exceeds_tier", $"Your tier renders at most {limits.MaxRenderSeconds} s."));
        }
        var (longSide, shortSide) = (Math.Max(output.Width, output.Height), Math.Min(output.Width, output.Height));
        var (maxLong, maxShort) = (Math.Max(limits.MaxOutputWidth, limits.MaxOutputHeight), Math.Min(limits.MaxOutputWidth, limits.MaxOutputHeight));
        if (longSide > maxLong || shortSide > maxShort)
        {
            var field = output.Width > limits.MaxOutputWidth ? "width" : "height";
            errors.Add(new FieldError(prefix + "output_settings." + field, "exceeds_tier", $"Your tier renders at most {limits.MaxOutputWidth}×{limits.MaxOutputHeight}."));
        }
    }

    private static bool KindFits(LayerType layer, string kind) => layer switch
    {
        LayerType.Image => kind == "image",
        LayerType.Video => kind == "video",
        LayerType.Audio => kind is "audio" or "video",
        _ => false,
    };
}

public sealed class RenderQueueOptions
{
    public const string Section = "Rendering:Queue";
    public int MaxAttempts { get; set; } = 3;
    public double RetryBaseSeconds { get; set; } = 5;
    public double RetryMaxSeconds { get; set; } = 300;
}
