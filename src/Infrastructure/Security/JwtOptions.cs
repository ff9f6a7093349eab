namespace RenderOwl.Infrastructure.Security;

public sealed class JwtOptions
{
    public const string Section = "Jwt";
    public string Issuer { get; set; } = "renderowl";
    public string Audience { get; set; } = "renderowl-api";
    public int AccessTokenMinutes { get; set; } = 15;
    public int RefreshTokenDays { get; set; } = 30;
    /// <summary>Resolved at start-up from Jwt:SigningKey (or the development key file).</summary>
    public byte[] SigningKey { get; set; } = [];
}
