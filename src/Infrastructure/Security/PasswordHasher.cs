using Microsoft.AspNetCore.Identity;

namespace RenderOwl.Infrastructure.Security;

/// <summary>ASP.NET Core Identity's PBKDF2 (HMAC-SHA512, 100,000 iterations in v3 format), with rehash on old formats.</summary>
public sealed class PasswordHasher : Application.Common.Abstractions.IPasswordHasher
{
    private static readonly object Subject = new();
    private readonly PasswordHasher<object> _inner = new();

    public string Hash(string password) => _inner.HashPassword(Subject, password);

    public bool Verify(string hash, string password, out bool needsRehash)
    {
        PasswordVerificationResult result;
        try
        {
            result = _inner.VerifyHashedPassword(Subject, hash, password);
        }
        catch (FormatException)
        {
            result = PasswordVerificationResult.Failed;
        }
        needsRehash = result == PasswordVerificationResult.SuccessRehashNeeded;
        return result != PasswordVerificationResult.Failed;
    }
}
