using System.Text.Json;
using Microsoft.Playwright;
using Rewind.Bench.Backups;
using Rewind.Client;

namespace Rewind.Bench.Dashboard;

/// <summary>
/// The dashboard in Debian's Chromium (Playwright), against a real controller on loopback:
/// first paint and "overview ready" of <c>/ui/</c> in a fresh browser context (cold cache) against the floor — the same
/// browser painting a one-line page from a bare Kestrel app; and a change on screen — a release recorded through the
/// API until the overview shows it, pushed over Server-Sent Events — against the floor of the push channel, the same
/// change read as a raw event by a plain HTTP client. See docs/benchmarks.md.
/// </summary>
internal sealed class DashboardBenchmark(bool quick, string repository)
{
    private const string Chromium = "/usr/bin/chromium";
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private int Runs => quick ? 5 : 20;

    public async Task<int> RunAsync()
    {
        if (!File.Exists(Chromium))
        {
            Console.Error.WriteLine($"dashboard benchmark: {Chromium} is missing (apt-get install chromium)");
            return 1;
        }

        Console.WriteLine(Pg.F($"dashboard benchmark: {Runs} run(s) of each, {DashboardWorld.Components} components; load average {RestoreBenchmark.Load()}"));
        await using var world = await DashboardWorld.StartAsync();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        });
        var paint = new List<double>();
        var ready = new List<double>();
        var floor = new List<double>();
        for (var run = 0; run < Runs + 1; run++) // the first run of each warms the server and the browser; not counted
        {
            var (p, r) = await DashboardPaintAsync(browser, world);
            var f = await FloorPaintAsync(browser, world.FloorUrl);
            if (run > 0)
            {
                paint.Add(p);
                ready.Add(r);
                floor.Add(f);
            }
        }

        var (screen, raw) = await UpdatesAsync(browser, world);
        return Report(Stats.Of(paint), Stats.Of(ready), Stats.Of(floor), Stats.Of(screen), Stats.Of(raw));
    }

    /// <summary>A fresh context logs in, opens the overview: first contentful paint, and when every component's card is drawn (ms from navigation start).</summary>
    private static async Task<(double Paint, double Ready)> DashboardPaintAsync(IBrowser browser, DashboardWorld world)
    {
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = world.Url });
        var login = await context.APIRequest.PostAsync("/ui/login", new APIRequestContextOptions { DataObject = new { token = world.Token } });
        if (login.Status != 200)
        {
            throw new InvalidOperationException($"login answered {login.Status}");
        }

        var page = await context.NewPageAsync();
        await page.GotoAsync("/ui/");
        var ready = await page.WaitForFunctionAsync(
            $"() => [...document.querySelectorAll('article[data-component]')].filter(a => a.textContent.includes('current')).length >= {DashboardWorld.Components} ? performance.now() : null",
            null,
            new PageWaitForFunctionOptions { PollingInterval = 5, Timeout = 10_000 });
        return (await FirstPaintAsync(page), await ready.JsonValueAsync<double>());
    }

    private static async Task<double> FloorPaintAsync(IBrowser browser, string url)
    {
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(url);
        return await FirstPaintAsync(page);
    }

    private static async Task<double> FirstPaintAsync(IPage page)
    {
        var paint = await page.WaitForFunctionAsync(
            "() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null",
            null,
            new PageWaitForFunctionOptions { PollingInterval = 5, Timeout = 10_000 });
        return await paint.JsonValueAsync<double>();
    }

    /// <summary>
    /// Releases recorded one after another: on screen (a mutation observer in the page notes the wall clock when the new
    /// version appears in the card) and as a raw event on a plain client's stream, both from just before the API call (ms).
    /// </summary>
    private async Task<(List<double> Screen, List<double> Raw)> UpdatesAsync(IBrowser browser, DashboardWorld world)
    {
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = world.Url });
        await context.APIRequest.PostAsync("/ui/login", new APIRequestContextOptions { DataObject = new { token = world.Token } });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/ui/");
        await page.WaitForSelectorAsync("article[data-component='c1']");
        var (screen, raw) = (new List<double>(), new List<double>());
        for (var run = 0; run <= Runs && 3 + run <= DashboardWorld.Versions; run++)
        {
            var version = DashboardWorld.Version(3 + run);
            await page.EvaluateAsync(
                "v => { window.__seen = null; const card = () => document.querySelector(\"article[data-component='c1']\"); new MutationObserver((_, o) => { if (card()?.textContent.includes(v + ' ')) { window.__seen = Date.now(); o.disconnect(); } }).observe(document.body, { subtree: true, childList: true, characterData: true }); }",
                version);
            var (sent, eventAt) = await RecordWatchingTheStreamAsync(world, version);
            var seen = await page.WaitForFunctionAsync("() => window.__seen", null, new PageWaitForFunctionOptions { PollingInterval = 20, Timeout = 10_000 });
            if (run > 0)
            {
                screen.Add(await seen.JsonValueAsync<double>() - sent);
                raw.Add(eventAt - sent);
            }
        }

        return (screen, raw);
    }

    /// <summary>Records <paramref name="version"/> of c1 with a plain SSE client listening; when the call started and when the first change event arrived (Unix ms).</summary>
    private static async Task<(double Sent, double EventAt)> RecordWatchingTheStreamAsync(DashboardWorld world, string version)
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using var response = await world.Http.GetAsync(new Uri("api/v1/events", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, cancel.Token);
        await using var stream = await response.Content.ReadAsStreamAsync(cancel.Token);
        using var reader = new StreamReader(stream);
        while (await reader.ReadLineAsync(cancel.Token) is { } line && !line.StartsWith("data:", StringComparison.Ordinal))
        {
            // up to the hello event's data: the stream is open
        }

        var sent = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(); // ms wall clock, as the page's Date.now()
        var recording = world.Client.RecordReleaseAsync("c1", new RecordReleaseRequest(version), cancel.Token);
        string? type = null;
        while (await reader.ReadLineAsync(cancel.Token) is { } line)
        {
            type = line.StartsWith("event:", StringComparison.Ordinal) ? line[6..].Trim() : type;
            if (line.StartsWith("data:", StringComparison.Ordinal) && type is not ("hello" or "ping"))
            {
                break;
            }
        }

        var eventAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await recording;
        return (sent, eventAt);
    }

    private int Report(Stats paint, Stats ready, Stats floor, Stats screen, Stats raw)
    {
        Console.WriteLine(Pg.F($"  {"what",-58} {"median",9} {"p90",9} {"min",9} {"max",9}"));
        foreach (var (label, s) in new[]
        {
            ("dashboard /ui/: first contentful paint (fresh context)", paint),
            ("dashboard /ui/: every component card drawn", ready),
            ("floor: one-line page from bare Kestrel, first paint", floor),
            ("release recorded -> on screen (SSE, page redraw)", screen),
            ("release recorded -> raw event on a plain SSE client", raw),
        })
        {
            Console.WriteLine(Pg.F($"  {label,-58} {s.Median,6:0.0} ms {s.P90,6:0.0} ms {s.Min,6:0.0} ms {s.Max,6:0.0} ms"));
        }

        Console.WriteLine(Pg.F($"  load average after {RestoreBenchmark.Load()}"));
        var json = JsonSerializer.Serialize(new
        {
            benchmark = "dashboard",
            runs = Runs,
            components = DashboardWorld.Components,
            milliseconds = new { firstPaint = paint, overviewReady = ready, floorFirstPaint = floor, updateOnScreen = screen, updateRawEvent = raw },
            firstPaintRatioVsFloor = paint.Median / floor.Median,
            updateRatioVsRawEvent = screen.Median / Math.Max(raw.Median, 1),
        }, Indented);
        Directory.CreateDirectory(Path.Combine(repository, "bench", "results"));
        File.WriteAllText(Path.Combine(repository, "bench", "results", "dashboard.json"), json);
        Console.WriteLine(Pg.F($"first_paint_ratio_vs_floor={paint.Median / floor.Median:0.00} update_ratio_vs_raw_event={screen.Median / Math.Max(raw.Median, 1):0.00} first_paint_ms={paint.Median:0} overview_ready_ms={ready.Median:0} floor_first_paint_ms={floor.Median:0} update_on_screen_ms={screen.Median:0} update_raw_event_ms={raw.Median:0} runs={Runs}"));
        return paint.Median < 1000 && screen.Median < 1000 ? 0 : 1;
    }
}
