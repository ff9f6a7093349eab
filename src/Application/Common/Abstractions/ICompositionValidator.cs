using System.Text.Json;
using RenderOwl.Application.Common.Errors;

namespace RenderOwl.Application.Common.Abstractions;

/// <summary>Checks a composition given as JSON (implemented by the Rendering module), so other modules need not know its types.</summary>
public interface ICompositionValidator
{
    /// <summary>Field errors, with paths under <paramref name="fieldPrefix"/>; empty when the composition is valid.</summary>
    IReadOnlyList<FieldError> Validate(JsonElement composition, string fieldPrefix);
}
