using System.Net.Http.Json;
using Npgsql;

namespace RenderOwl.Api.IntegrationTests.Infrastructure;

/// <summary>Accounts as the render tests need them, set up by intent.</summary>
public static class Accounts
{
    /// <summary>
    /// A new account with one project. With <paramref name="tier"/> the account is on that tier and its session client uses
    /// an API key (a fresh key sees the new tier at once; session tokens would at their next refresh).
    /// </summary>
    public static async Task<(Session Session, string Project)> AccountWithProjectAsync(this ApiTest test, Func<HttpClient> newClient, string? tier = null)
    {
        var session = await test.RegisterUserAsync(newClient);
        if (tier is not null)
        {
            await SetTierAsync(test.Fixture, session.Email, tier);
            var key = (await (await session.Client.PostAsJsonAsync("/v1/api-keys", new { name = "worker" })).ReadJsonAsync())["key"]!.GetValue<string>();
            session.Client.DefaultRequestHeaders.Authorization = null;
            session.Client.DefaultRequestHeaders.Add("X-API-Key", key);
        }
        var project = (await session.Client.CreateProjectAsync("renders"))["id"]!.GetValue<string>();
        return (session, project);
    }

    /// <summary>Moves an account to a tier. The product has no endpoint for it yet (billing will own it), so the test sets the row.</summary>
    public static async Task SetTierAsync(ApiFixture fixture, string email, string tier)
    {
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("UPDATE identity.users SET tier = @t WHERE email = @e", connection);
        command.Parameters.AddWithValue("t", tier);
        command.Parameters.AddWithValue("e", email);
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }
}
