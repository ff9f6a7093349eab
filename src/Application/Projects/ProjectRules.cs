using FluentValidation;
using RenderOwl.Domain.Projects;

namespace RenderOwl.Application.Projects;

internal static class ProjectRules
{
    public static IRuleBuilderOptions<T, string> ValidName<T>(this IRuleBuilder<T, string> rule)
        => rule.Must(n => !string.IsNullOrWhiteSpace(n)).WithErrorCode("required").WithMessage("'name' must not be empty.")
            .MaximumLength(Project.NameMaxLength);

    public static IRuleBuilderOptions<T, string?> ValidDescription<T>(this IRuleBuilder<T, string?> rule)
        => rule.MaximumLength(Project.DescriptionMaxLength);
}
