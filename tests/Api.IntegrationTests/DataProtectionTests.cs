using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using RenderOwl.Api.IntegrationTests.Infrastructure;

namespace RenderOwl.Api.IntegrationTests;

/// <summary>Data Protection keys live in PostgreSQL for every instance, encrypted under the configured key-encryption key (ADR 9).</summary>
public sealed class DataProtectionTests(ApiFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public async Task Instances_share_the_key_ring_which_is_stored_encrypted_and_unreadable_with_another_key()
    {
        var capture = new LogCapture();
        await using var a = capture.Attach(Fixture.CreateFactory());
        await using var b = Fixture.CreateFactory();
        var secret = $"payload {Guid.NewGuid()}";
        var protectedByA = a.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("tests").Protect(secret);
        Assert.Equal(secret, b.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("tests").Unprotect(protectedByA));

        await using var connection = new NpgsqlConnection(Fixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT xml FROM operations.data_protection_keys", connection);
        var rows = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                rows.Add(reader.GetString(0));
            }
        }
        Assert.NotEmpty(rows);
        Assert.All(rows, xml =>
        {
            Assert.Contains("AesGcmXmlDecryptor", xml, StringComparison.Ordinal);
            Assert.Contains("<encryptedKey", xml, StringComparison.Ordinal);
            Assert.DoesNotContain("<value>", xml, StringComparison.Ordinal); // the master key's plaintext element
        });
        Assert.DoesNotContain(capture.Events, e => e.RenderMessage().Contains("No XML encryptor configured", StringComparison.Ordinal));

        // The same rows, another key-encryption key: nothing can be read.
        await using var stranger = Fixture.CreateFactory(new Dictionary<string, string?> { ["DataProtection:KeyEncryptionKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48)) });
        Assert.ThrowsAny<CryptographicException>(() => stranger.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("tests").Unprotect(protectedByA));
    }
}
