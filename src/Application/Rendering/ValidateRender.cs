using Mediator;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Errors;
using RenderOwl.Domain.Common;

namespace RenderOwl.Application.Rendering;

/// <summary>The dry run: a render request checked, its timeline resolved, its layout inspected and its cost estimated — nothing rendered, nothing counted.</summary>
public sealed record ValidateRenderQuery(ProjectId ProjectId, RenderRequest Request) : IQuery<RenderCheckResponse>;

public sealed record ResolvedLayer(int Index, string? Id, double Start, double End);

public sealed record ResolvedTimeline(double Duration, IReadOnlyList<ResolvedLayer> Layers);

public sealed record RenderCheckResponse(bool Valid, IReadOnlyList<FieldError> Errors, IReadOnlyList<FieldError> Warnings, ResolvedTimeline? Resolved, RenderEstimate? Estimate);

/// <summary>
/// 200 whatever the request holds: <c>valid</c> false with the same field errors a render request would get as 400,
/// the layout <c>warnings</c> (<see cref="ILayoutInspector"/>), the resolved timeline and an estimate once it resolves.
/// 404 for another account's project.
/// </summary>
public sealed class ValidateRenderHandler(IProjectAccess projects, ICurrentUser current, RenderDrafts drafts, IRenderEstimator estimator)
    : IQueryHandler<ValidateRenderQuery, RenderCheckResponse>
{
    public async ValueTask<RenderCheckResponse> Handle(ValidateRenderQuery query, CancellationToken cancellationToken)
    {
        await projects.EnsureOwnedAsync(query.ProjectId, current.Id, cancellationToken);
        var request = query.Request with { FailOnWarnings = false }; // warnings are the answer here, not a refusal
        var own = await new RenderRequestValidator().ValidateAsync(request, cancellationToken);
        if (!own.IsValid)
        {
            var errors = own.Errors.Select(e => new FieldError(e.PropertyName, Common.Validation.ValidationNaming.Code(e.ErrorCode), e.ErrorMessage)).ToList();
            return new RenderCheckResponse(false, errors, [], null, null);
        }
        var draft = await drafts.InspectAsync(query.ProjectId, request, cancellationToken);
        if (draft.Resolved is not { } resolved)
        {
            return new RenderCheckResponse(false, draft.Errors, [], null, null);
        }
        var timeline = new ResolvedTimeline(resolved.Seconds,
            resolved.Layers.Select((l, i) => new ResolvedLayer(i, l.Id, l.Start, l.EndWithin(resolved.Seconds))).ToList());
        var estimate = await estimator.EstimateAsync(resolved, request.Output(), cancellationToken);
        return new RenderCheckResponse(draft.Errors.Count == 0, draft.Errors, draft.Warnings, timeline, estimate);
    }
}
