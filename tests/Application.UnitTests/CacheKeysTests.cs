using RenderOwl.Application.Common.Caching;
using RenderOwl.Domain.Common;

namespace RenderOwl.Application.UnitTests;

public sealed class CacheKeysTests
{
    [Fact]
    public void A_key_reads_back_as_its_kind_and_id()
    {
        var id = new ProjectId(Guid.CreateVersion7());

        Assert.True(CacheKeys.TryParse(CacheKeys.Project(id), out var kind, out var text));

        Assert.Equal(CacheKeys.ProjectKind, kind);
        Assert.Equal(id.Value, Guid.ParseExact(text, "N"));
    }

    [Theory]
    [InlineData("warmup:done")]
    [InlineData("project:")]
    [InlineData("nothing")]
    [InlineData(":abc")]
    public void Anything_else_is_not_a_key_of_ours(string key) => Assert.False(CacheKeys.TryParse(key, out _, out _));

    [Fact]
    public void An_invalidation_goes_only_to_the_policies_its_kind_lives_in()
    {
        Assert.Equal([CachePolicy.Medium], CacheKeys.PoliciesOf(CacheKeys.Project(new ProjectId(Guid.NewGuid()))));
        Assert.Equal([CachePolicy.Long], CacheKeys.PoliciesOf(CacheKeys.Asset(new AssetId(Guid.NewGuid()))));
        Assert.Equal([CachePolicy.Short, CachePolicy.Long], CacheKeys.PoliciesOf(CacheKeys.Render(new RenderId(Guid.NewGuid()))));
        Assert.Equal(CachePolicies.All, CacheKeys.PoliciesOf("something:else"));
    }

    [Fact]
    public void Rows_whose_reads_are_cached_have_a_tag_and_others_none()
    {
        var user = RenderOwl.Domain.Identity.User.Register("a@example.com", "A", "hash", DateTimeOffset.UtcNow);

        Assert.Equal(CacheKeys.Account(user.Id), CacheInvalidation.TagOf(user));
        Assert.Null(CacheInvalidation.TagOf(new object()));
    }

    [Theory]
    [InlineData("project:0b4f6c6e-4a5e-4c1a-9a55-0d2b0c6f4f10", "")]
    [InlineData("reads:apikey:abc", "reads:")]
    [InlineData("reads:projectpage:0b4f6c6e-4a5e-4c1a-9a55-0d2b0c6f4f10:20", "reads:")]
    [InlineData("__fc:t:project:1", "reads:")]
    [InlineData("reads:__fc:t:project:1", "reads:")]
    [InlineData("reads:project:", "reads:")]
    [InlineData("reads:projects:1", "reads:")]
    [InlineData(":1", "")]
    [InlineData("account", "")]
    [InlineData("render:r1", "other:")]
    public void IsOwn_agrees_with_TryParse_without_making_strings(string key, string prefix)
    {
        var stripped = key.StartsWith(prefix, StringComparison.Ordinal) ? key[prefix.Length..] : key;
        Assert.Equal(CacheKeys.TryParse(stripped, out _, out _), CacheKeys.IsOwn(key, prefix));
    }
}
