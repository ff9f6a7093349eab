using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using RenderOwl.Application.Rendering.Sharing;
using RenderOwl.Domain.Common;

namespace RenderOwl.Application.UnitTests;

/// <summary>Rotating <c>Sharing:SigningKey</c>: links signed with a previous key still open while it is listed; new links use the new key.</summary>
public sealed class ShareLinkKeyRotationTests
{
    private static ShareLinks Links(byte[] key, params byte[][] previous)
        => new(Options.Create(new SharingOptions { SigningKey = key, PreviousSigningKeys = previous }));

    [Fact]
    public void A_link_signed_with_the_previous_key_opens_only_while_that_key_is_listed()
    {
        var oldKey = RandomNumberGenerator.GetBytes(48);
        var newKey = RandomNumberGenerator.GetBytes(48);
        var render = new RenderId(Guid.NewGuid());
        var expires = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.AddDays(1).ToUnixTimeSeconds());
        var oldLink = Links(oldKey).Token(render, expires, epoch: 2);

        var rotating = Links(newKey, oldKey);
        Assert.Equal(new ShareToken(render, expires, 2), rotating.Read(oldLink));
        Assert.Null(Links(newKey).Read(oldLink));

        var newLink = rotating.Token(render, expires, epoch: 2);
        Assert.NotEqual(oldLink, newLink);
        Assert.NotNull(Links(newKey).Read(newLink));
        Assert.Null(Links(oldKey).Read(newLink));
        Assert.Null(rotating.Read(oldLink[..^2] + "AA")); // tampered: no key opens it
    }
}
