using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RenderOwl.Infrastructure.Persistence;

namespace RenderOwl.Infrastructure.Security;

/// <summary>
/// ASP.NET Core Data Protection with its key ring in PostgreSQL (so every instance shares it) and every key
/// encrypted at rest with AES-256-GCM under a key-encryption key from configuration
/// (<c>DataProtection:KeyEncryptionKey</c>, required outside Development like the JWT key; generated into the
/// data folder in Development). A database leak alone does not reveal the keys. ADR 9.
/// </summary>
public static class DataProtectionSetup
{
    public static void AddRenderOwlDataProtection(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        var material = SecretKeys.Resolve(configuration, environment, "DataProtection:KeyEncryptionKey", "dataprotection-kek.key");
        var previous = SecretKeys.ResolvePrevious(configuration, "DataProtection:PreviousKeyEncryptionKeys");
        var kek = new KeyEncryptionKey(Derive(material), [.. previous.Select(Derive)]);
        services.AddSingleton(kek);
        services.AddScoped<DataProtectionKeyReencryptor>();
        services.AddDataProtection().SetApplicationName("RenderOwl").PersistKeysToDbContext<AppDbContext>();
        services.Configure<KeyManagementOptions>(o => o.XmlEncryptor = new AesGcmXmlEncryptor(kek));
    }

    private static byte[] Derive(byte[] material) => HKDF.DeriveKey(HashAlgorithmName.SHA256, material, 32, info: "renderowl data protection kek"u8.ToArray());
}

/// <summary>The key that encrypts new Data Protection keys, and previous ones still tried when decrypting (a rotation).</summary>
public sealed record KeyEncryptionKey(byte[] Key, IReadOnlyList<byte[]> Previous)
{
    public KeyEncryptionKey(byte[] key)
        : this(key, [])
    {
    }
}

/// <summary>Encrypts a key's XML: <c>&lt;encryptedKey nonce tag&gt;ciphertext&lt;/encryptedKey&gt;</c>, all base64.</summary>
public sealed class AesGcmXmlEncryptor(KeyEncryptionKey kek) : IXmlEncryptor
{
    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        var plaintext = Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting));
        var nonce = RandomNumberGenerator.GetBytes(AesGcm.NonceByteSizes.MaxSize);
        var tag = new byte[AesGcm.TagByteSizes.MaxSize];
        var ciphertext = new byte[plaintext.Length];
        using (var aes = new AesGcm(kek.Key, tag.Length))
        {
            aes.Encrypt(nonce, plaintext, ciphertext, tag);
        }
        CryptographicOperations.ZeroMemory(plaintext);
        var element = new XElement("encryptedKey",
            new XAttribute("algorithm", "AES-256-GCM"),
            new XAttribute("nonce", Convert.ToBase64String(nonce)),
            new XAttribute("tag", Convert.ToBase64String(tag)),
            Convert.ToBase64String(ciphertext));
        return new EncryptedXmlInfo(element, typeof(AesGcmXmlDecryptor));
    }
}

/// <summary>
/// Made by Data Protection's activator with the service provider; tries the current key-encryption key, then the previous
/// ones. A key none of them opens, or a changed byte, fails authentication.
/// </summary>
public sealed class AesGcmXmlDecryptor(IServiceProvider services) : IXmlDecryptor
{
    /// <summary>The plaintext of an <c>encryptedKey</c> element, and whether the current key opened it (false: a previous one).</summary>
    public static byte[] Open(XElement encryptedElement, KeyEncryptionKey kek, out bool byCurrent)
    {
        var nonce = Convert.FromBase64String((string)encryptedElement.Attribute("nonce")!);
        var tag = Convert.FromBase64String((string)encryptedElement.Attribute("tag")!);
        var ciphertext = Convert.FromBase64String(encryptedElement.Value);
        var plaintext = new byte[ciphertext.Length];
        byCurrent = true;
        foreach (var key in new[] { kek.Key }.Concat(kek.Previous))
        {
            try
            {
                using var aes = new AesGcm(key, tag.Length);
                aes.Decrypt(nonce, ciphertext, tag, plaintext);
                return plaintext;
            }
            catch (AuthenticationTagMismatchException)
            {
                byCurrent = false;
            }
        }
        throw new CryptographicException("No configured key-encryption key (DataProtection:KeyEncryptionKey or PreviousKeyEncryptionKeys) opens this Data Protection key.");
    }

    public XElement Decrypt(XElement encryptedElement)
    {
        var plaintext = Open(encryptedElement, services.GetRequiredService<KeyEncryptionKey>(), out _);
        try
        {
            return XElement.Parse(Encoding.UTF8.GetString(plaintext));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }
}
