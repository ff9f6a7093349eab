using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using RenderOwl.Api.IntegrationTests.Infrastructure;
using RenderOwl.Infrastructure.Security;

namespace RenderOwl.Api.IntegrationTests;

/// <summary>
/// Rotating a key without downtime: an instance with the new key and the old one among its previous keys accepts what
/// the old key made (access tokens, cursors, Data Protection's key ring) while making everything new with the new key;
/// an instance with only the new key refuses the old material — so the previous keys are what carries a rotation.
/// </summary>
public sealed class KeyRotationTests(ApiFixture fixture) : ApiTest(fixture)
{
    private static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(48));

    private Dictionary<string, string?> Rotated(string key, string newKey, string previousSetting)
        => new() { [key] = newKey, [previousSetting] = Fixture.Settings()[key] };

    [Fact]
    public async Task An_access_token_signed_with_the_previous_jwt_key_is_accepted_during_the_rotation_only()
    {
        var session = await this.RegisterUserAsync(Anonymous); // signed with the current key
        var newKey = NewKey();
        await using var rotating = Fixture.CreateFactory(Rotated("Jwt:SigningKey", newKey, "Jwt:PreviousSigningKeys"));
        await using var rotated = Fixture.CreateFactory(new Dictionary<string, string?> { ["Jwt:SigningKey"] = newKey });

        Assert.Equal(HttpStatusCode.OK, (await Me(rotating, session.AccessToken)).StatusCode);
        await (await Me(rotated, session.AccessToken)).AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");

        // What the rotating instance issues is signed with the new key: the fully rotated instance takes it.
        var login = await (await rotating.CreateClient().PostAsJsonAsync("/v1/auth/login", new { email = session.Email, password = session.Password })).ReadJsonAsync();
        Assert.Equal(HttpStatusCode.OK, (await Me(rotated, login["access_token"]!.GetValue<string>())).StatusCode);
    }

    [Fact]
    public async Task A_cursor_made_with_the_previous_key_still_pages_during_the_rotation_only()
    {
        var session = await this.RegisterUserAsync(Anonymous);
        foreach (var name in new[] { "a", "b", "c" })
        {
            await session.Client.CreateProjectAsync(name);
        }
        var first = await (await session.Client.GetAsync("/v1/projects?page_size=1")).ReadJsonAsync();
        var cursor = first["metadata"]?["next_cursor"]?.GetValue<string>() ?? throw new InvalidOperationException("no next_cursor in " + first.ToJsonString());
        var newKey = NewKey();
        await using var rotating = Fixture.CreateFactory(Rotated("Pagination:CursorKey", newKey, "Pagination:PreviousCursorKeys"));
        await using var rotated = Fixture.CreateFactory(new Dictionary<string, string?> { ["Pagination:CursorKey"] = newKey });

        var next = await Get(rotating, session.AccessToken, $"/v1/projects?page_size=1&cursor={Uri.EscapeDataString(cursor)}");
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.Single((await next.ReadJsonAsync())["items"]!.AsArray());
        await (await Get(rotated, session.AccessToken, $"/v1/projects?page_size=1&cursor={Uri.EscapeDataString(cursor)}"))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "invalid-cursor");
    }

    [Fact]
    public async Task After_reencrypt_keys_the_data_protection_key_ring_opens_with_the_new_key_encryption_key_alone()
    {
        // A database of its own: the shared one's key ring is encrypted with the suite's key and must stay so.
        await using var database = await EmptyDatabase.CreateAsync(Fixture, "kek");
        Dictionary<string, string?> On(params (string Key, string? Value)[] settings)
        {
            var all = database.Settings();
            all["Database:MigrateOnStartup"] = "true";
            foreach (var (key, value) in settings)
            {
                all[key] = value;
            }
            return all;
        }
        var oldKek = Fixture.Settings()["DataProtection:KeyEncryptionKey"];
        var newKek = NewKey();
        string payload;
        await using (var before = Fixture.CreateFactory(On()))
        {
            payload = before.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("rotation").Protect("a webhook secret");
        }
        await using (var rotated = Fixture.CreateFactory(On(("DataProtection:KeyEncryptionKey", newKek))))
        {
            Assert.ThrowsAny<CryptographicException>(() => rotated.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("rotation").Unprotect(payload));
        }
        await using (var rotating = Fixture.CreateFactory(On(("DataProtection:KeyEncryptionKey", newKek), ("DataProtection:PreviousKeyEncryptionKeys", oldKek))))
        {
            Assert.Equal("a webhook secret", rotating.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("rotation").Unprotect(payload));
            await using var scope = rotating.Services.CreateAsyncScope();
            var result = await scope.ServiceProvider.GetRequiredService<DataProtectionKeyReencryptor>().RunAsync(CancellationToken.None);
            Assert.Empty(result.Unreadable);
            Assert.True(result.Reencrypted >= 1, $"{result}");
        }
        await using (var after = Fixture.CreateFactory(On(("DataProtection:KeyEncryptionKey", newKek))))
        {
            Assert.Equal("a webhook secret", after.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("rotation").Unprotect(payload));
        }
    }

    private static Task<HttpResponseMessage> Me(ApiFactory factory, string token) => Get(factory, token, "/v1/me");

    private static async Task<HttpResponseMessage> Get(ApiFactory factory, string token, string url)
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await client.GetAsync(url);
    }
}
