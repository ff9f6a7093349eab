using System.Text.RegularExpressions;
using RenderOwl.Api.IntegrationTests.Infrastructure;

namespace RenderOwl.Api.IntegrationTests;

/// <summary>
/// The commands README and the docs tell a user to run exist: every target declared phony has a rule, and every
/// <c>make X</c> the docs mention is a target. (`make bench` was documented for days with no rule behind it: make
/// answered "Nothing to be done for 'bench'" and measured nothing.)
/// </summary>
public sealed partial class MakefileTests
{
    private static readonly string Root = TestServices.RepositoryRoot();

    [GeneratedRegex(@"^([a-z][a-z0-9-]*):", RegexOptions.Multiline)]
    private static partial Regex Rule();

    [GeneratedRegex(@"`make ([a-z][a-z0-9-]*)")]
    private static partial Regex Mentioned();

    private static HashSet<string> Rules() => [.. Rule().Matches(File.ReadAllText(Path.Combine(Root, "Makefile"))).Select(m => m.Groups[1].Value)];

    [Fact]
    public void Every_phony_target_has_a_rule()
    {
        var makefile = File.ReadAllText(Path.Combine(Root, "Makefile"));
        var phony = makefile.Split('\n').Single(l => l.StartsWith(".PHONY:", StringComparison.Ordinal))[".PHONY:".Length..]
            .Split(' ', StringSplitOptions.RemoveEmptyEntries);

        Assert.Empty(phony.Except(Rules()));
    }

    [Fact]
    public void Every_make_command_the_docs_mention_is_a_target()
    {
        var docs = new[] { Path.Combine(Root, "README.md") }.Concat(Directory.GetFiles(Path.Combine(Root, "docs"), "*.md", SearchOption.AllDirectories));
        var mentioned = docs.SelectMany(f => Mentioned().Matches(File.ReadAllText(f)).Select(m => (File: Path.GetFileName(f), Target: m.Groups[1].Value)));
        var rules = Rules();

        Assert.Empty(mentioned.Where(m => !rules.Contains(m.Target)).Distinct());
    }
}
