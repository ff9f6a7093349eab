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
}
