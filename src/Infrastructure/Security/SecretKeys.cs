using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace RenderOwl.Infrastructure.Security;

/// <summary>
/// Signing keys come from configuration. In Development, a missing key is generated once and kept in the
/// git-ignored data folder, so restarts keep sessions valid and no key is ever in the repository.
/// </summary>
public static class SecretKeys
{
    public static byte[] Resolve(IConfiguration configuration, IHostEnvironment environment, string configKey, string fileName)
    {
        var configured = configuration[configKey];
        if (!string.IsNullOrWhiteSpace(configured))
        {
            var bytes = Convert.FromBase64String(configured);
            if (bytes.Length < 32)
            {
                throw new InvalidOperationException($"{configKey} must be at least 32 bytes (base64).");
            }
            return bytes;
        }
        if (!environment.IsDevelopment())
        {
            throw new InvalidOperationException($"{configKey} is not configured. Set it (base64, ≥ 32 bytes), e.g. from `openssl rand -base64 48`.");
        }
        var folder = Path.Combine(DataPath(configuration), "keys");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, fileName);
        if (!File.Exists(path))
        {
            var tmp = path + "." + Guid.NewGuid().ToString("N");
            File.WriteAllText(tmp, Convert.ToBase64String(RandomNumberGenerator.GetBytes(64)));
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(tmp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
            try
            {
                File.Move(tmp, path, overwrite: false);
            }
            catch (IOException)
            {
                File.Delete(tmp); // another instance wrote it first: use theirs
            }
        }
        return Convert.FromBase64String(File.ReadAllText(path).Trim());
    }

    /// <summary>
    /// Keys still accepted while a new one signs or encrypts (a rotation without downtime): <paramref name="configKey"/>
    /// as a comma-separated list of base64 keys, or as an array (<c>Key:0</c>, <c>Key:1</c>, …). Each is ≥ 32 bytes.
    /// </summary>
    public static IReadOnlyList<byte[]> ResolvePrevious(IConfiguration configuration, string configKey)
    {
        var values = (configuration[configKey] ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Concat(configuration.GetSection(configKey).GetChildren().Select(c => c.Value).OfType<string>().Where(v => v.Trim().Length > 0));
        var keys = new List<byte[]>();
        foreach (var value in values)
        {
            byte[] bytes;
            try
            {
                bytes = Convert.FromBase64String(value.Trim());
            }
            catch (FormatException)
            {
                throw new InvalidOperationException($"{configKey} must list base64 keys (comma-separated).");
            }
            if (bytes.Length < 32)
            {
                throw new InvalidOperationException($"{configKey}: every key must be at least 32 bytes (base64).");
            }
            keys.Add(bytes);
        }
        return keys;
    }

    public static string DataPath(IConfiguration configuration)
        => configuration["RenderOwl:DataPath"] is { Length: > 0 } p ? p
            : Environment.GetEnvironmentVariable("RENDEROWL_DATA") is { Length: > 0 } e ? e
            : Path.Combine(Directory.GetCurrentDirectory(), ".data");
}
