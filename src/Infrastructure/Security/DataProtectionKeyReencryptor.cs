using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Microsoft.EntityFrameworkCore;
using RenderOwl.Infrastructure.Persistence;

namespace RenderOwl.Infrastructure.Security;

/// <summary>
/// The last step of rotating <c>DataProtection:KeyEncryptionKey</c> (<c>db reencrypt-keys</c>): every stored Data
/// Protection key that a previous key-encryption key opens is encrypted again with the current one, in one
/// transaction, so the previous key can then be removed from configuration. The keys themselves (and so every webhook
/// secret they protect) do not change.
/// </summary>
public sealed class DataProtectionKeyReencryptor(AppDbContext db, KeyEncryptionKey kek)
{
    public sealed record Result(int Keys, int Reencrypted, int AlreadyCurrent, IReadOnlyList<string> Unreadable);

    public Task<Result> RunAsync(CancellationToken cancellationToken)
        => db.Database.CreateExecutionStrategy().ExecuteAsync(() => { db.ChangeTracker.Clear(); return RunOnceAsync(cancellationToken); });

    private async Task<Result> RunOnceAsync(CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var rows = await db.DataProtectionKeys.FromSqlRaw("SELECT * FROM operations.data_protection_keys FOR UPDATE").ToListAsync(cancellationToken);
        var encryptor = new AesGcmXmlEncryptor(kek);
        int reencrypted = 0, current = 0;
        var unreadable = new List<string>();
        foreach (var row in rows)
        {
            if (row.Xml is null)
            {
                continue;
            }
            var document = XElement.Parse(row.Xml);
            var changed = false;
            try
            {
                foreach (var element in document.Descendants().Where(e => e.Name.LocalName == "encryptedKey" && (string?)e.Attribute("algorithm") == "AES-256-GCM").ToList())
                {
                    var plaintext = AesGcmXmlDecryptor.Open(element, kek, out var byCurrent);
                    try
                    {
                        if (!byCurrent)
                        {
                            element.ReplaceWith(encryptor.Encrypt(XElement.Parse(Encoding.UTF8.GetString(plaintext))).EncryptedElement);
                            changed = true;
                        }
                    }
                    finally
                    {
                        CryptographicOperations.ZeroMemory(plaintext);
                    }
                }
            }
            catch (CryptographicException)
            {
                unreadable.Add(row.FriendlyName ?? row.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
                continue;
            }
            if (changed)
            {
                row.Xml = document.ToString(SaveOptions.DisableFormatting);
                reencrypted++;
            }
            else
            {
                current++;
            }
        }
        if (unreadable.Count == 0)
        {
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        return new Result(rows.Count, unreadable.Count == 0 ? reencrypted : 0, current, unreadable);
    }
}
