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

    public static string DataPath(IConfiguration configuration)
        => configuration["RenderOwl:DataPath"] is { Length: > 0 } p ? p
            : Environment.GetEnvironmentVariable("RENDEROWL_DATA") is { Length: > 0 } e ? e
            : Path.Combine(Directory.GetCurrentDirectory(), ".data");
}
