using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Identity;
using RenderOwl.Domain.Identity;
using RenderOwl.Infrastructure.Common;

namespace RenderOwl.Infrastructure.Security;

public sealed class TokenService(IOptions<JwtOptions> options, TimeProvider clock) : ITokenService
{
    private readonly JwtOptions _options = options.Value;
    private readonly JsonWebTokenHandler _handler = new();

    public TimeSpan RefreshTokenLifetime => TimeSpan.FromDays(_options.RefreshTokenDays);

    public AccessToken IssueAccessToken(User user, Guid sessionId, DateTimeOffset authenticatedAt)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var lifetime = TimeSpan.FromMinutes(_options.AccessTokenMinutes);
        var token = _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = _options.Issuer,
            Audience = _options.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + lifetime,
            Subject = new ClaimsIdentity(
            [
                new Claim(JwtRegisteredClaimNames.Sub, user.Id.ToString()),
                new Claim(JwtRegisteredClaimNames.Jti, Guid.NewGuid().ToString("N")),
                new Claim("sid", sessionId.ToString("N")),
                new Claim(JwtRegisteredClaimNames.AuthTime, authenticatedAt.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), ClaimValueTypes.Integer64),
                new Claim("role", user.Role.ToString().ToLowerInvariant()),
                // Read by the rate limiter; a tier change reaches session tokens when they are refreshed (≤ 15 min).
                new Claim("tier", user.Tier.ToString().ToLowerInvariant()),
            ]),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(_options.SigningKey), SecurityAlgorithms.HmacSha256),
        });
        return new AccessToken(token, (int)lifetime.TotalSeconds);
    }

    public (string Token, string Hash) NewRefreshToken()
    {
        var token = "rt_" + Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        return (token, HashRefreshToken(token));
    }

    public string HashRefreshToken(string token)
        => Sha256Hex.Of(token);

    public static TokenValidationParameters ValidationParameters(JwtOptions options) => new()
    {
        ValidIssuer = options.Issuer,
        ValidAudience = options.Audience,
        IssuerSigningKeys = [new SymmetricSecurityKey(options.SigningKey), .. options.PreviousSigningKeys.Select(k => new SymmetricSecurityKey(k))],
        ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
        ClockSkew = TimeSpan.FromSeconds(30),
        NameClaimType = JwtRegisteredClaimNames.Sub,
        RoleClaimType = "role",
    };
}
