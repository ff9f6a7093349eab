using RenderOwl.Domain.Common;
using RenderOwl.Domain.Identity;

namespace RenderOwl.Domain.UnitTests;

public sealed class RefreshTokenTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_token_rotates_once()
    {
        var token = RefreshToken.Issue(new UserId(Guid.CreateVersion7()), null, "hash", Now, TimeSpan.FromDays(30));
        Assert.True(token.IsUsable(Now));
        token.MarkRotated(Now.AddMinutes(1));
        Assert.True(token.WasRotated);
        Assert.False(token.IsUsable(Now.AddMinutes(1)));
        var ex = Assert.Throws<DomainRuleException>(() => token.MarkRotated(Now.AddMinutes(2)));
        Assert.Equal("refresh_token_spent", ex.Code);
    }

    [Fact]
    public void Expired_and_revoked_tokens_are_not_usable()
    {
        var token = RefreshToken.Issue(new UserId(Guid.CreateVersion7()), null, "hash", Now, TimeSpan.FromDays(1));
        Assert.False(token.IsUsable(Now.AddDays(1)));
        var revoked = RefreshToken.Issue(new UserId(Guid.CreateVersion7()), Guid.CreateVersion7(), "hash2", Now, TimeSpan.FromDays(1));
        revoked.Revoke(Now);
        Assert.False(revoked.IsUsable(Now));
        Assert.Throws<DomainRuleException>(() => revoked.MarkRotated(Now));
    }

    [Fact]
    public void A_rotation_keeps_the_family()
    {
        var family = Guid.CreateVersion7();
        var next = RefreshToken.Issue(new UserId(Guid.CreateVersion7()), family, "h", Now, TimeSpan.FromDays(1));
        Assert.Equal(family, next.FamilyId);
    }

    [Fact]
    public void Times_are_kept_at_database_precision()
    {
        var precise = new DateTimeOffset(638_999_999_999_999_999, TimeSpan.Zero);
        var user = User.Register("A@Example.COM ", " Ada ", "hash", precise);
        Assert.Equal(0, user.CreatedAt.UtcTicks % 10);
        Assert.Equal("a@example.com", user.Email);
        Assert.Equal("Ada", user.Name);
        Assert.Equal(Tier.Free, user.Tier);
        Assert.Equal(Role.User, user.Role);
    }
}
