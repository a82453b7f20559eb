using System.Diagnostics;
using System.Globalization;
using Microsoft.Playwright;
using Rewind.EndToEnd.Tests;
using Rewind.TestUtils;

namespace Rewind.Dashboard.Tests;

/// <summary>A controller of its own whose SQLite store sits on a real 32 MiB tmpfs: its own faults show on every page.</summary>
[Collection(DashboardRuns.Name)]
public sealed class FaultBannerTests(Browser browser)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task StoreDiskNearlyFull_ABannerSaysSoOnThePage_AndGoesOnceThereIsRoom()
    {
        var root = Directory.CreateTempSubdirectory("rewind-banner-").FullName;
        await RunAsync("mount", "-t", "tmpfs", "-o", "size=32m", "tmpfs", root);
        try
        {
            var url = $"http://127.0.0.1:{Runtime.Samples.SampleRelease.FreeLoopbackPort().ToString(CultureInfo.InvariantCulture)}";
            var config = Path.Combine(root, "rewind.yaml");
            Directory.CreateDirectory(Path.Combine(root, "app", "releases", "v1"));
            File.CreateSymbolicLink(Path.Combine(root, "app", "current"), Path.Combine("releases", "v1"));
            await File.WriteAllTextAsync(config, $$"""
                store: "sqlite:{{root}}/rewind.db"
                server: { listen: "{{url}}" }
                components:
                  web:
                    provider: { release-dir: { path: app, restart: [true] } }
                    probes: { health: { tcp: { host: 127.0.0.1, port: 9 }, interval: 1s, timeout: 500ms } }
                """);
            var token = await RewindProcess.InitAccessAsync(config);
            using var server = RewindProcess.Start("serve", "--config", config);
            using (var http = new HttpClient { BaseAddress = new Uri(url + "/") })
            {
                await Eventually.WaitAsync(async () => await TryAsync(() => http.GetAsync("api/v1/health")) is { IsSuccessStatusCode: true }, Deadline, "the controller to answer healthy");
            }

            await using var session = await browser.LoginAsync(url, token);
            await session.Page.GotoAsync("/ui/");
            var banner = session.Page.Locator("#faults");
            await Assertions.Expect(session.Page.Locator("[data-component=web]")).ToBeVisibleAsync();
            await Assertions.Expect(banner).ToBeHiddenAsync();

            var filler = Fill(root, leave: 2 << 20); // 2 MiB of 32 left: below a tenth
            await Assertions.Expect(banner).ToBeVisibleAsync(new() { Timeout = 20_000 });
            await Assertions.Expect(banner).ToContainTextAsync("store disk nearly full");
            await Assertions.Expect(banner.Locator("[data-kind=store-disk-nearly-full]")).ToContainTextAsync("MiB free");
            await session.ScreenshotAsync("fault-banner");

            File.Delete(filler);
            await Assertions.Expect(banner).ToBeHiddenAsync(new() { Timeout = 20_000 });
            session.Errors.ShouldBeEmpty();
        }
        finally
        {
            await RunAsync("umount", "-l", root);
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>Writes a file until the disk is full, then gives back <paramref name="leave"/> bytes.</summary>
    private static string Fill(string root, long leave)
    {
        var filler = Path.Combine(root, "filler");
        var block = new byte[64 * 1024];
        using var file = new FileStream(filler, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0);
        try
        {
            while (true)
            {
                file.Write(block);
            }
        }
        catch (IOException)
        {
            file.SetLength(file.Length - leave);
            return filler;
        }
    }

    private static async Task<HttpResponseMessage?> TryAsync(Func<Task<HttpResponseMessage>> request)
    {
        try
        {
            return await request();
        }
        catch (HttpRequestException)
        {
            return null; // not listening yet
        }
    }

    private static async Task RunAsync(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        process.ExitCode.ShouldBe(0, $"{file} {string.Join(' ', args)} (the test needs root): {error}");
    }
}
