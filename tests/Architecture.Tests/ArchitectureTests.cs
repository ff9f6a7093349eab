using System.Reflection;
using NetArchTest.Rules;

namespace RenderOwl.Architecture.Tests;

/// <summary>The layer rules and module boundaries of ARCHITECTURE.md, checked on the compiled assemblies.</summary>
public sealed class ArchitectureTests
{
    private static readonly Assembly Domain = typeof(Domain.Projects.Project).Assembly;
    private static readonly Assembly Application = typeof(Application.DependencyInjection).Assembly;
    private static readonly Assembly Infrastructure = typeof(Infrastructure.DependencyInjection).Assembly;

    public static readonly string[] Modules = ["Identity", "Projects", "Assets", "Rendering", "Templates", "Webhooks", "Notifications", "Analytics", "Operations"];

    [Fact]
    public void Domain_depends_on_nothing_of_ours_nor_on_infrastructure_packages()
        => AssertNoViolations(ArchRules.DomainIsPure(Domain));

    [Fact]
    public void Application_does_not_depend_on_Infrastructure_or_Api()
        => AssertNoViolations(ArchRules.MustNotDependOn(Application, "RenderOwl.Infrastructure", "RenderOwl.Api", "StackExchange.Redis", "Hangfire", "Microsoft.AspNetCore"));

    [Fact]
    public void Infrastructure_does_not_depend_on_Api()
        => AssertNoViolations(ArchRules.MustNotDependOn(Infrastructure, "RenderOwl.Api"));

    [Theory]
    [MemberData(nameof(LayerAssemblies))]
    public void Modules_do_not_reach_into_each_other(string layer)
        => AssertNoViolations(ArchRules.ModuleBoundaries(LayerAssembly(layer), Modules));

    [Fact]
    public void The_checker_fails_on_a_sample_that_breaks_the_rules()
    {
        // This test assembly holds deliberate violations (below): the same checks must report them.
        var self = typeof(ArchitectureTests).Assembly;
        var layer = ArchRules.MustNotDependOn(self, "RenderOwl.Infrastructure");
        Assert.Contains(layer, v => v.Contains(nameof(Samples.Domain.Projects.ProjectThatTouchesTheDatabase), StringComparison.Ordinal));
        var modules = ArchRules.ModuleBoundaries(self, Modules);
        Assert.Contains(modules, v => v.Contains(nameof(Samples.Domain.Projects.ProjectThatReadsUsers), StringComparison.Ordinal));
        var pure = ArchRules.DomainIsPure(self);
        Assert.NotEmpty(pure);
    }

    public static TheoryData<string> LayerAssemblies() => new() { "Domain", "Application", "Infrastructure" };

    private static Assembly LayerAssembly(string layer) => layer switch
    {
        "Domain" => Domain,
        "Application" => Application,
        "Infrastructure" => Infrastructure,
        _ => throw new ArgumentOutOfRangeException(nameof(layer)),
    };

    private static void AssertNoViolations(IReadOnlyList<string> violations)
        => Assert.True(violations.Count == 0, "Violations:\n" + string.Join("\n", violations));
}

public static class ArchRules
{
    public static IReadOnlyList<string> DomainIsPure(Assembly assembly)
        => MustNotDependOn(assembly, "RenderOwl.Application", "RenderOwl.Infrastructure", "RenderOwl.Api",
            "Microsoft.EntityFrameworkCore", "Npgsql", "StackExchange.Redis", "Hangfire", "Microsoft.AspNetCore", "Mediator", "FluentValidation");

    public static IReadOnlyList<string> MustNotDependOn(Assembly assembly, params string[] forbidden)
    {
        var result = Types.InAssembly(assembly).ShouldNot().HaveDependencyOnAny(forbidden).GetResult();
        return result.IsSuccessful ? [] : [.. result.FailingTypeNames.Select(t => $"{t} depends on one of: {string.Join(", ", forbidden)}")];
    }

    /// <summary>
    /// Types of module M (a namespace segment M) may use their own module and shared code, never a namespace of
    /// another module, in this assembly or any RenderOwl layer.
    /// </summary>
    public static IReadOnlyList<string> ModuleBoundaries(Assembly assembly, IReadOnlyList<string> modules)
    {
        var namespaces = new[] { assembly, typeof(Domain.Projects.Project).Assembly, typeof(Application.DependencyInjection).Assembly, typeof(Infrastructure.DependencyInjection).Assembly }
            .Distinct()
            .SelectMany(a => a.GetTypes())
            .Select(t => t.Namespace)
            .OfType<string>()
            .Distinct()
            .ToList();
        var violations = new List<string>();
        foreach (var module in modules)
        {
            var others = namespaces.Where(ns => modules.Any(o => o != module && ns.Split('.').Contains(o))).ToArray();
            if (others.Length == 0)
            {
                continue;
            }
            var result = Types.InAssembly(assembly).That().ResideInNamespaceMatching($@"(^|\.){module}(\.|$)")
                .ShouldNot().HaveDependencyOnAny(others).GetResult();
            if (!result.IsSuccessful)
            {
                violations.AddRange(result.FailingTypeNames.Select(t => $"{t} (module {module}) reaches into another module"));
            }
        }
        return violations;
    }
}
