using Microsoft.Playwright;

namespace RenderOwl.Api.IntegrationTests.Infrastructure;

/// <summary>
/// Debian's Chromium driven by Playwright (no browser download: <c>scripts/test-tools.sh</c> installs the <c>chromium</c>
/// package, <c>CHROMIUM_PATH</c> names another binary). A page's screenshot and HTML are kept under
/// <c>TestResults/browser/</c> when a step fails.
/// </summary>
public sealed class Chromium : IAsyncDisposable
{
    private readonly IPlaywright _playwright;

    public IBrowser Browser { get; }

    private Chromium(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        Browser = browser;
    }

    public static async Task<Chromium> LaunchAsync()
    {
        var path = Environment.GetEnvironmentVariable("CHROMIUM_PATH") is { Length: > 0 } p ? p : "/usr/bin/chromium";
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"No Chromium at {path}: run scripts/test-tools.sh (installs Debian's chromium) or set CHROMIUM_PATH.");
        }
        var playwright = await Playwright.CreateAsync();
        // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
        var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = path, Headless = true, Args = ["--no-sandbox"] });
        return new Chromium(playwright, browser);
    }

    /// <summary>A fresh profile (its own cookies), a desktop-sized window, actions given 15 s.</summary>
    public async Task<IPage> NewPageAsync(string baseUrl)
    {
        var context = await Browser.NewContextAsync(new() { BaseURL = baseUrl, ViewportSize = new() { Width = 1400, Height = 1000 } });
        context.SetDefaultTimeout(15_000);
        return await context.NewPageAsync();
    }

    /// <summary>Runs <paramref name="steps"/>; when one throws, saves the page's screenshot and HTML as <paramref name="name"/>.* and rethrows.</summary>
    public static async Task KeepEvidenceAsync(IPage page, string name, Func<Task> steps)
    {
        try
        {
            await steps();
        }
        catch
        {
            var folder = Path.Combine(TestServices.RepositoryRoot(), "TestResults", "browser");
            Directory.CreateDirectory(folder);
            try
            {
                await page.ScreenshotAsync(new() { Path = Path.Combine(folder, name + ".png"), FullPage = true });
                await File.WriteAllTextAsync(Path.Combine(folder, name + ".html"), await page.ContentAsync());
            }
            catch (PlaywrightException)
            {
                // The page itself is gone (the browser crashed): the test's own failure says why.
            }
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
    }
}
