using System.Reflection;
using NetArchTest.Rules;

namespace RenderOwl.Architecture.Tests;

public static class ArchRules
{
    /// <summary>Infrastructure folders that belong to one module (their namespace does not name it).</summary>
    public static readonly IReadOnlyDictionary<string, string> InfrastructureFolders = new Dictionary<string, string>
    {
        ["Security"] = "Identity",
        ["Rendering"] = "Rendering",
        ["Idempotency"] = "Operations",
        ["RateLimiting"] = "Operations",
        ["Email"] = "Notifications",
        ["Exports"] = "Identity",
        ["Monitoring"] = "Operations",
    };

    /// <summary>Infrastructure folders every module may use: storage, media files, outbound HTTP, health, metrics, jobs.</summary>
    public static readonly IReadOnlySet<string> SharedInfrastructure = new HashSet<string>
    {
        "Common", "Persistence", "Storage", "Media", "Networking", "Health", "Observability", "Jobs", "Caching",
    };

    public static IReadOnlyList<string> DomainIsPure(Assembly assembly)
        => MustNotDependOn(assembly, "RenderOwl.Application", "RenderOwl.Infrastructure", "RenderOwl.Api",
            "Microsoft.EntityFrameworkCore", "Npgsql", "StackExchange.Redis", "Hangfire", "Microsoft.AspNetCore", "Mediator", "FluentValidation");

    public static IReadOnlyList<string> MustNotDependOn(Assembly assembly, params string[] forbidden)
    {
        var result = Types.InAssembly(assembly).ShouldNot().HaveDependencyOnAny(forbidden).GetResult();
        return result.IsSuccessful ? [] : [.. result.FailingTypeNames.Select(t => $"{t} depends on one of: {string.Join(", ", forbidden)}")];
    }

    /// <summary>
    /// The Api's controllers, middleware and auth handlers use the Application's interfaces only: no Infrastructure
    /// class, no database, cache or job library. Only the composition root (<c>{root}.Composition</c>, Program) wires them.
    /// </summary>
    public static IReadOnlyList<string> ApiEdgeIsThin(Assembly assembly, string root)
    {
        string[] forbidden = ["RenderOwl.Infrastructure", "Npgsql", "StackExchange.Redis", "Hangfire", "Microsoft.EntityFrameworkCore"];
        var result = Types.InAssembly(assembly).That().ResideInNamespaceStartingWith(root + ".")
            .And().DoNotResideInNamespaceStartingWith(root + ".Composition")
            .ShouldNot().HaveDependencyOnAny(forbidden).GetResult();
        return result.IsSuccessful ? [] : [.. result.FailingTypeNames.Select(t => $"{t} (outside the composition root) depends on one of: {string.Join(", ", forbidden)}")];
    }

    /// <summary>
    /// Types of module M — a namespace segment M, or an Infrastructure folder of M — may use their own module and
    /// shared code, never a namespace of another module, in this assembly or any RenderOwl layer.
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
            var others = namespaces.Where(ns => ModuleOf(ns, modules) is { } m && m != module).ToArray();
            if (others.Length == 0)
            {
                continue;
            }
            var own = namespaces.Where(ns => ModuleOf(ns, modules) == module).ToArray();
            if (own.Length == 0)
            {
                continue;
            }
            var result = Types.InAssembly(assembly).That().ResideInNamespaceMatching(
                    "^(" + string.Join("|", own.Select(System.Text.RegularExpressions.Regex.Escape)) + ")$")
                .ShouldNot().HaveDependencyOnAny(others).GetResult();
            if (!result.IsSuccessful)
            {
                violations.AddRange(result.FailingTypeNames.Select(t => $"{t} (module {module}) reaches into another module"));
            }
        }
        return violations;
    }

    /// <summary>The module a namespace belongs to: a segment naming it, or an Infrastructure folder of it; null for shared code.</summary>
    public static string? ModuleOf(string ns, IReadOnlyList<string> modules)
    {
        var segments = ns.Split('.');
        if (segments.FirstOrDefault(modules.Contains) is { } named)
        {
            return named;
        }
        var infrastructure = Array.IndexOf(segments, "Infrastructure");
        return infrastructure >= 0 && infrastructure + 1 < segments.Length && InfrastructureFolders.TryGetValue(segments[infrastructure + 1], out var owner)
            ? owner : null;
    }
}
