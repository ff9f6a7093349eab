using System.Text.Json;
using RenderOwl.Application.Common.Pagination;
using RenderOwl.Application.Common.Validation;
using RenderOwl.Application.Projects;
using RenderOwl.Application.Templates;

namespace RenderOwl.Application.UnitTests;

/// <summary>Template rules (names, declarations, placeholders) and the paging rules every list shares.</summary>
public sealed class TemplateAndPagingValidatorTests
{
    static TemplateAndPagingValidatorTests() => ValidationNaming.Configure();

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();

    private static readonly JsonElement UsesTitle = Json("""{"duration": 1, "background": "#000000", "layers": [{"type": "text", "text": "{{title}}", "start": 0}]}""");

    private static List<(string Field, string Code)> Errors(CreateTemplateCommand command)
        => [.. new CreateTemplateValidator().Validate(command).Errors.Select(e => (e.PropertyName, ValidationNaming.Code(e.ErrorCode)))];

    [Fact]
    public void A_template_that_declares_what_it_uses_is_valid()
        => Assert.Empty(Errors(new CreateTemplateCommand("Intro", null, UsesTitle, [new TemplateVariableDto("title", null, null)])));

    [Fact]
    public void An_undeclared_placeholder_is_refused()
        => Assert.Contains(("variables", "undeclared_placeholder"), Errors(new CreateTemplateCommand("Intro", null, UsesTitle, [])));

    [Fact]
    public void Bad_duplicate_and_null_variables_are_refused_on_their_index()
    {
        var errors = Errors(new CreateTemplateCommand("Intro", null, UsesTitle,
            [new TemplateVariableDto("title", null, null), new TemplateVariableDto("title", null, null), new TemplateVariableDto("Bad-Name", null, null), null!]));
        Assert.Contains(("variables[1].name", "duplicate"), errors);
        Assert.Contains(("variables[2].name", "invalid_name"), errors);
        Assert.Contains(("variables[3]", "required"), errors);
    }

    [Fact]
    public void A_blank_name_and_a_non_object_composition_are_refused()
    {
        var errors = Errors(new CreateTemplateCommand("  ", null, Json("[]"), null));
        Assert.Contains(("name", "required"), errors);
        Assert.Contains(("composition", "invalid_type"), errors);
    }

    private static List<(string Field, string Code)> PageErrors(PageRequest page)
        => [.. new ListProjectsValidator().Validate(new ListProjectsQuery(page)).Errors.Select(e => (e.PropertyName, ValidationNaming.Code(e.ErrorCode)))];

    [Fact]
    public void Paging_rules_hold_for_every_list()
    {
        Assert.Empty(PageErrors(new PageRequest(20, 2, null)));
        Assert.Contains(("page_size", "out_of_range"), PageErrors(new PageRequest(0, null, null)));
        Assert.Contains(("page_size", "out_of_range"), PageErrors(new PageRequest(PageRequest.MaxPageSize + 1, null, null)));
        Assert.Contains(("page", "out_of_range"), PageErrors(new PageRequest(20, 0, null)));
        Assert.Contains(("cursor", "exclusive"), PageErrors(new PageRequest(20, 1, "abc")));
    }
}
