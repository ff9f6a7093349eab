using System.Text;
using System.Text.Json;
using FluentValidation;

namespace RenderOwl.Application.Common.Validation;

/// <summary>Makes FluentValidation speak the API's language: snake_case JSON paths and snake_case codes.</summary>
public static class ValidationNaming
{
    public static void Configure()
    {
        ValidatorOptions.Global.PropertyNameResolver = (_, member, _) => member is null ? null : JsonNamingPolicy.SnakeCaseLower.ConvertName(member.Name);
        ValidatorOptions.Global.DisplayNameResolver = (_, member, _) => member is null ? null : JsonNamingPolicy.SnakeCaseLower.ConvertName(member.Name);
    }

    /// <summary>"NotEmptyValidator" → "not_empty"; codes set with WithErrorCode are kept.</summary>
    public static string Code(string errorCode)
    {
        var name = errorCode.EndsWith("Validator", StringComparison.Ordinal) ? errorCode[..^"Validator".Length] : errorCode;
        if (name.Contains('_', StringComparison.Ordinal) || name.All(c => !char.IsUpper(c)))
        {
            return name;
        }
        var sb = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
            {
                sb.Append('_');
            }
            sb.Append(char.ToLowerInvariant(name[i]));
        }
        return sb.ToString();
    }
}
