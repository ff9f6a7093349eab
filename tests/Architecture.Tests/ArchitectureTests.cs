using System.Reflection;

namespace RenderOwl.Architecture.Tests;

/// <summary>The layer rules and module boundaries of docs/architecture.md, checked on the compiled assemblies.</summary>
public sealed class ArchitectureTests
{
    private static readonly Assembly Domain = typeof(Domain.Projects.Project).Assembly;
    private static readonly Assembly Application = typeof(Application.DependencyInjection).Assembly;
    private static readonly Assembly Infrastructure = typeof(Infrastructure.DependencyInjection).Assembly;
    private static readonly Assembly Api = typeof(Api.Composition.PipelineSetup).Assembly;

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

    [Fact]
    public void Api_depends_on_Application_abstractions_not_on_Infrastructure_outside_its_composition_root()
        => AssertNoViolations(ArchRules.ApiEdgeIsThin(Api, "RenderOwl.Api"));

    [Theory]
    [MemberData(nameof(LayerAssemblies))]
    public void Modules_do_not_reach_into_each_other(string layer)
        => AssertNoViolations(ArchRules.ModuleBoundaries(LayerAssembly(layer), Modules));

    [Fact]
    public void Every_Infrastructure_folder_is_named_for_a_module_or_placed_in_one_or_declared_shared()
    {
        var folders = Infrastructure.GetTypes().Select(t => t.Namespace).OfType<string>()
            .Where(ns => ns.StartsWith("RenderOwl.Infrastructure.", StringComparison.Ordinal))
            .Select(ns => ns.Split('.')[2]).Distinct().ToList();
        var unplaced = folders.Where(f => !Modules.Contains(f) && !ArchRules.InfrastructureFolders.ContainsKey(f) && !ArchRules.SharedInfrastructure.Contains(f)).ToList();
        Assert.True(unplaced.Count == 0, "Place these Infrastructure folders in ArchRules (a module's, or shared): " + string.Join(", ", unplaced));
    }

    [Fact]
    public void The_checker_fails_on_a_sample_that_breaks_the_rules()
    {
        // This test assembly holds deliberate violations (Samples/Violations.cs): the same checks must report them.
        var self = typeof(ArchitectureTests).Assembly;
        var layer = ArchRules.MustNotDependOn(self, "RenderOwl.Infrastructure");
        Assert.Contains(layer, v => v.Contains(nameof(Samples.Domain.Projects.ProjectThatTouchesTheDatabase), StringComparison.Ordinal));
        var modules = ArchRules.ModuleBoundaries(self, Modules);
        Assert.Contains(modules, v => v.Contains(nameof(Samples.Domain.Projects.ProjectThatReadsUsers), StringComparison.Ordinal));
        Assert.Contains(modules, v => v.Contains(nameof(Samples.Infrastructure.Security.KeyStoreThatReadsRenders), StringComparison.Ordinal));
        var edge = ArchRules.ApiEdgeIsThin(self, "RenderOwl.Architecture.Tests.Samples.Api");
        Assert.Contains(edge, v => v.Contains(nameof(Samples.Api.Http.MiddlewareThatTakesTheStore), StringComparison.Ordinal));
        Assert.DoesNotContain(edge, v => v.Contains(nameof(Samples.Api.Composition.RootThatWiresTheStore), StringComparison.Ordinal));
        var pure = ArchRules.DomainIsPure(self);
        Assert.NotEmpty(pure);
    }

    public static TheoryData<string> LayerAssemblies() => new() { "Domain", "Application", "Infrastructure", "Api" };

    private static Assembly LayerAssembly(string layer) => layer switch
    {
        "Domain" => Domain,
        "Application" => Application,
        "Infrastructure" => Infrastructure,
        "Api" => Api,
        _ => throw new ArgumentOutOfRangeException(nameof(layer)),
    };

    private static void AssertNoViolations(IReadOnlyList<string> violations)
        => Assert.True(violations.Count == 0, "Violations:\n" + string.Join("\n", violations));
}
