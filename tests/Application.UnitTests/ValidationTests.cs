using RenderOwl.Application.Common;
using RenderOwl.Application.Common.Validation;
using RenderOwl.Application.Identity;
using RenderOwl.Application.Projects;
using RenderOwl.Domain.Common;

namespace RenderOwl.Application.UnitTests;

public sealed class ValidationTests
{
    static ValidationTests() => ValidationNaming.Configure();

    [Theory]
    [InlineData("NotEmptyValidator", "not_empty")]
    [InlineData("MaximumLengthValidator", "maximum_length")]
    [InlineData("EmailValidator", "email")]
    [InlineData("required", "required")]
    [InlineData("too_deep", "too_deep")]
    public void Codes_are_snake_case(string errorCode, string expected) => Assert.Equal(expected, ValidationNaming.Code(errorCode));

    [Fact]
    public void Registration_rules_name_fields_in_snake_case()
    {
        var result = new RegisterValidator().Validate(new RegisterCommand("nope", "short", ""));
        Assert.Equal(["email", "name", "password"], result.Errors.Select(e => e.PropertyName).Distinct().Order());
        Assert.Contains(result.Errors, e => e.ErrorMessage.Contains("'password'", StringComparison.Ordinal));
    }

    [Fact]
    public void A_good_registration_passes()
        => Assert.True(new RegisterValidator().Validate(new RegisterCommand("ada@example.com", "a long enough password", "Ada")).IsValid);

    [Fact]
    public void Project_name_must_have_text_and_fit()
    {
        var validator = new CreateProjectValidator();
        Assert.False(validator.Validate(new CreateProjectCommand("   ", null)).IsValid);
        Assert.False(validator.Validate(new CreateProjectCommand(new string('x', 201), null)).IsValid);
        Assert.False(validator.Validate(new CreateProjectCommand("ok", new string('d', 2001))).IsValid);
        Assert.True(validator.Validate(new CreateProjectCommand("ok", null)).IsValid);
    }

    [Fact]
    public void Patch_validates_only_the_fields_present()
    {
        var validator = new UpdateProjectValidator();
        var id = new ProjectId(Guid.CreateVersion7());
        Assert.True(validator.Validate(new UpdateProjectCommand(id, Optional<string>.Unset, Optional<string?>.Of(null), null)).IsValid);
        var bad = validator.Validate(new UpdateProjectCommand(id, Optional<string>.Of(""), Optional<string?>.Unset, null));
        Assert.Equal("name", Assert.Single(bad.Errors).PropertyName);
    }
}
