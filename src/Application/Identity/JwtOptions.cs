using System.ComponentModel.DataAnnotations;

namespace RenderOwl.Application.Identity;

/// <summary>Access and refresh tokens (<c>Jwt</c>). The signing key is resolved at start-up, never read from here.</summary>

public sealed class JwtOptions
{
    public const string Section = "Jwt";
    [Required]
    public string Issuer { get; set; } = "renderowl";
    [Required]
    public string Audience { get; set; } = "renderowl-api";
    [Range(1, 1440)]
    public int AccessTokenMinutes { get; set; } = 15;
    [Range(1, 365)]
    public int RefreshTokenDays { get; set; } = 30;
    /// <summary>Resolved at start-up from Jwt:SigningKey (or the development key file).</summary>
    public byte[] SigningKey { get; set; } = [];
    /// <summary>Resolved at start-up from Jwt:PreviousSigningKeys: tokens they signed are still accepted (a key rotation).</summary>
    public IReadOnlyList<byte[]> PreviousSigningKeys { get; set; } = [];
}
