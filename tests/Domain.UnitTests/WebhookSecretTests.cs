using RenderOwl.Domain.Webhooks;

namespace RenderOwl.Domain.UnitTests;

/// <summary>A rotated secret: both sign during the 24 h overlap, only the new one after it.</summary>
public sealed class WebhookSecretTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_new_secret_signs_alone()
        => Assert.Equal(["old"], WebhookSecret.Of("old").Signing(Now));

    [Fact]
    public void During_the_overlap_both_sign_the_new_one_first_and_after_it_only_the_new_one()
    {
        var secret = WebhookSecret.Of("old");
        secret.Rotate("new", Now);
        Assert.Equal(["new", "old"], secret.Signing(Now));
        Assert.Equal(["new", "old"], secret.Signing(Now + WebhookSecret.Overlap - TimeSpan.FromSeconds(1)));
        Assert.Equal(["new"], secret.Signing(Now + WebhookSecret.Overlap));
        Assert.Equal(["new"], secret.Signing(Now.AddDays(3)));
    }

    [Fact]
    public void Rotating_again_keeps_only_the_secret_it_replaces()
    {
        var secret = WebhookSecret.Of("first");
        secret.Rotate("second", Now);
        secret.Rotate("third", Now.AddHours(1));
        Assert.Equal(["third", "second"], secret.Signing(Now.AddHours(2)));
    }
}
