using FluentValidation;

namespace RenderOwl.Application.Common.Validation;

public static class CommonRules
{
    /// <summary>Present and not only white space (<c>required</c>): a name a person reads in a list.</summary>
    public static IRuleBuilderOptions<T, string?> NotBlank<T>(this IRuleBuilder<T, string?> rule, string field)
        => rule.Must(n => !string.IsNullOrWhiteSpace(n)).WithErrorCode("required").WithMessage($"'{field}' must not be empty.");
}
