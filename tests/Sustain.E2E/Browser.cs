using Microsoft.Playwright;

namespace Sustain.E2E;

/// <summary>
/// Debian's Chromium driven by Playwright (never a downloaded browser), one server and one browser
/// for a test class. Screenshots go to <c>artifacts/screenshots</c> at the repository root, for CI to keep.
/// A subclass can start what the server needs first and hand it settings (see <see cref="ServerSettingsAsync"/>).
/// </summary>
public class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public SustainServer Server { get; private set; } = default!;

    public IBrowser Browser { get; private set; } = default!;

    public static bool ChromiumAvailable => File.Exists(ChromiumPath);

    public static string ScreenshotDirectory { get; } = LocateScreenshots();

    public async Task InitializeAsync()
    {
        if (!ChromiumAvailable)
            return;
        // A shared, loaded machine can take more than Playwright's default 5 s to answer over a circuit.
        Assertions.SetDefaultExpectTimeout(20_000);
        Server = await SustainServer.StartAsync(await ServerSettingsAsync());
        _playwright = await Playwright.CreateAsync();
        Browser = await LaunchChromiumAsync(_playwright);
    }

    /// <summary>Debian's Chromium, headless, with nothing that would reach the network on its own.</summary>
    public static Task<IBrowser> LaunchChromiumAsync(IPlaywright playwright) =>
        playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });

    public virtual async Task DisposeAsync()
    {
        if (Browser is not null)
            await Browser.DisposeAsync();
        _playwright?.Dispose();
        if (Server is not null)
            await Server.DisposeAsync();
    }

    /// <summary>Settings for the server process, beyond the fresh database it always gets.</summary>
    protected virtual Task<IDictionary<string, string>?> ServerSettingsAsync() => Task.FromResult<IDictionary<string, string>?>(null);

    public Task<IPage> NewPageAsync(bool dark = false) => NewPageAsync(Browser, Server.Address, dark);

    /// <summary>A page in a fresh browser context (its own cookies) whose relative addresses go to <paramref name="address"/>.</summary>
    public static async Task<IPage> NewPageAsync(IBrowser browser, Uri address, bool dark = false)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = address.ToString(), ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        if (dark)
            await context.AddCookiesAsync([new Cookie { Name = "sustain-theme", Value = "dark", Url = address.ToString() }]);
        context.SetDefaultTimeout(20_000);
        return await context.NewPageAsync();
    }

    /// <summary>Waits until the page's circuit is connected, so clicks reach the server.</summary>
    public static Task WaitForInteractivityAsync(IPage page) =>
        Assertions.Expect(page.Locator("[data-testid=render-mode]")).ToHaveAttributeAsync("data-interactive", "true");

    public static async Task ScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(ScreenshotDirectory);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory, name + ".png"), FullPage = true });
    }

    private static string LocateScreenshots()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Sustain.sln")))
                return Path.Combine(dir.FullName, "artifacts", "screenshots");
        }

        return Path.Combine(Path.GetTempPath(), "sustain-screenshots");
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}
