using System.Security.Cryptography;
using System.Text;

namespace RenderOwl.Infrastructure.Common;

/// <summary>SHA-256 of a text's UTF-8 bytes, as 64 lower-case hex digits: how API keys, refresh tokens and throttle keys are stored.</summary>
public static class Sha256Hex
{
    public static string Of(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
