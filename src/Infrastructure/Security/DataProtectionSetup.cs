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
        var kek = new KeyEncryptionKey(HKDF.DeriveKey(HashAlgorithmName.SHA256, material, 32, info: "renderowl data protection kek"u8.ToArray()));
        services.AddSingleton(kek);
        services.AddDataProtection().SetApplicationName("RenderOwl").PersistKeysToDbContext<AppDbContext>();
        services.Configure<KeyManagementOptions>(o => o.XmlEncryptor = new AesGcmXmlEncryptor(kek));
    }
}

public sealed record KeyEncryptionKey(byte[] Key);

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

/// <summary>Made by Data Protection's activator with the service provider; a wrong key or a changed byte fails authentication.</summary>
public sealed class AesGcmXmlDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement)
    {
        var kek = services.GetRequiredService<KeyEncryptionKey>();
        var nonce = Convert.FromBase64String((string)encryptedElement.Attribute("nonce")!);
        var tag = Convert.FromBase64String((string)encryptedElement.Attribute("tag")!);
        var ciphertext = Convert.FromBase64String(encryptedElement.Value);
        var plaintext = new byte[ciphertext.Length];
        using (var aes = new AesGcm(kek.Key, tag.Length))
        {
            aes.Decrypt(nonce, ciphertext, tag, plaintext);
        }
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
