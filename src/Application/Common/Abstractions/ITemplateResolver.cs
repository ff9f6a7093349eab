using System.Text.Json;
using RenderOwl.Application.Common.Errors;
using RenderOwl.Domain.Common;

namespace RenderOwl.Application.Common.Abstractions;

/// <summary>A template with modifications applied: the composition, or the field errors that name bad variables.</summary>
public sealed record TemplateResolution(JsonElement Composition, IReadOnlyList<FieldError> Errors);

/// <summary>Templates, for the Rendering module: a template of the caller with modifications applied; null when there is none.</summary>
public interface ITemplateResolver
{
    Task<TemplateResolution?> ResolveAsync(TemplateId templateId, IReadOnlyDictionary<string, JsonElement>? modifications, CancellationToken cancellationToken);
}
