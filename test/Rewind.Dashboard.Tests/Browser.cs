using Microsoft.Playwright;
using Rewind.TestUtils;

namespace Rewind.Dashboard.Tests;

/// <summary>
/// Debian's Chromium, headless, driven by Playwright (its own browser download is not used). Each test opens its own
/// contexts: separate cookie jars, so two people can be logged in at once.
/// </summary>
public sealed class Browser : IAsyncLifetime
{
    public const string Chromium = "/usr/bin/chromium";

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    /// <summary>
    /// How long an action or an expectation may wait for the page: generous, since a deadline only matters when a test
    /// fails, and a loaded host can take seconds to render what an idle one shows at once. How fast pages are is
    /// measured by <c>./bench/run dashboard</c>, not by these tests.
    /// </summary>
    private const int ActionTimeout = 30_000;

    public static string Screenshots { get; } = Path.Combine(Repository.Root, ".artifacts", "screenshots");

    public async Task InitializeAsync()
    {
        File.Exists(Chromium).ShouldBeTrue($"{Chromium} is missing: apt-get install chromium (./test.sh installs it)");
        Assertions.SetDefaultExpectTimeout(ActionTimeout);
        Directory.CreateDirectory(Screenshots);
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        });
    }

    /// <summary>A fresh context at <paramref name="width"/> px, logged in with <paramref name="token"/> through the login page's API.</summary>
    public async Task<Session> LoginAsync(string url, string token, int width = 1280, int height = 900)
    {
        var context = await _browser!.NewContextAsync(new BrowserNewContextOptions { BaseURL = url, ViewportSize = new ViewportSize { Width = width, Height = height } });
        context.SetDefaultTimeout(ActionTimeout);
        var login = await context.APIRequest.PostAsync("/ui/login", new APIRequestContextOptions { DataObject = new { token } });
        login.Status.ShouldBe(200, await login.TextAsync());
        return await Session.OpenAsync(context);
    }

    /// <summary>A fresh context that has not logged in.</summary>
    public async Task<Session> AnonymousAsync(string url, int width = 1280)
    {
        var context = await _browser!.NewContextAsync(new BrowserNewContextOptions { BaseURL = url, ViewportSize = new ViewportSize { Width = width, Height = 900 } });
        context.SetDefaultTimeout(ActionTimeout);
        return await Session.OpenAsync(context);
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}

/// <summary>One browser context with one page; script errors on the page are collected so a test can demand none.</summary>
public sealed class Session : IAsyncDisposable
{
    private readonly List<string> _errors = [];

    private Session(IBrowserContext context, IPage page)
    {
        Context = context;
        Page = page;
        page.PageError += (_, error) => _errors.Add(error);
        page.Console += (_, message) =>
        {
            // a refused API call is logged by the browser too; the page shows the refusal itself
            if (message.Type == "error" && !message.Text.StartsWith("Failed to load resource", StringComparison.Ordinal))
            {
                _errors.Add(message.Text);
            }
        };
    }

    public IBrowserContext Context { get; }

    public IPage Page { get; }

    public IReadOnlyList<string> Errors => _errors;

    public static async Task<Session> OpenAsync(IBrowserContext context) => new(context, await context.NewPageAsync());

    public async Task ScreenshotAsync(string name) =>
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Browser.Screenshots, name + ".png"), FullPage = true });

    /// <summary>The document is no wider than the viewport: nothing scrolls sideways.</summary>
    public async Task<bool> FitsWidthAsync() =>
        await Page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth");

    /// <summary>The page as it was last is kept under <c>last/</c>: what a failed test saw.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            var url = new Uri(Page.Url);
            var name = string.Concat((url.AbsolutePath + url.Fragment).Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-'));
            await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Browser.Screenshots, "last", name + ".png"), FullPage = true });
        }
        catch (PlaywrightException)
        {
            // a page that never loaded has nothing to show
        }
        catch (UriFormatException)
        {
            // about:blank
        }

        await Context.DisposeAsync();
    }
}
