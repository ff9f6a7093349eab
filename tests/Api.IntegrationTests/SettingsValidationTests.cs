using RenderOwl.Api.IntegrationTests.Infrastructure;

namespace RenderOwl.Api.IntegrationTests;

/// <summary>Options are validated when the process starts: a bad setting stops it with a message naming it, before it migrates or serves.</summary>
public sealed class SettingsValidationTests(ApiFixture fixture) : ApiTest(fixture)
{
    [Theory]
    [InlineData("Rendering:Queue:MaxAttempts", "0", "MaxAttempts")]
    [InlineData("Rendering:Dispatcher:LeaseSeconds", "0", "LeaseSeconds")]
    [InlineData("Auth:ReauthMaxAgeMinutes", "-5", "ReauthMaxAgeMinutes")]
    [InlineData("Cache:Policies:medium:TtlSeconds", "0", "Cache:Policies:medium")]
    [InlineData("Cache:Policies:huge:TtlSeconds", "60", "Cache:Policies:huge is not a policy")]
    [InlineData("Cache:Bypass", "render,renders", "Cache:Bypass names 'renders'")]
    [InlineData("Hangfire:ReadOnlyRole", "user", "Hangfire:ReadOnlyRole must be 'operator', 'admin' or empty")]
    public async Task A_setting_out_of_range_stops_start_up_naming_it(string key, string value, string member)
    {
        using var api = ApiProcess.Start(Fixture.Settings(new Dictionary<string, string?> { [key] = value, ["Logging:Json"] = "false" }),
            role: "all", ApiProcess.FreePort(), environment: "Production");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await api.Process.WaitForExitAsync(timeout.Token);

        Assert.Equal(1, api.Process.ExitCode);
        var output = string.Join("\n", api.Output);
        Assert.Contains("cannot start: invalid setting", output, StringComparison.Ordinal);
        Assert.Contains(member, output, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", output, StringComparison.Ordinal);
    }
}
