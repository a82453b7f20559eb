using System.Globalization;
using Microsoft.Playwright;
using Rewind.TestUtils;

namespace Rewind.Dashboard.Tests;

/// <summary>
/// A controller of its own whose config file is edited: a refused reload shows on the page with each error at its
/// file:line:column, and goes once the file is valid again.
/// </summary>
[Collection(DashboardRuns.Name)]
public sealed class ConfigNoticeTests(Browser browser)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task InvalidConfigFile_ANoticeShowsTheErrorAtItsPlace_AndGoesOnceTheFileIsValid()
    {
        var root = Directory.CreateTempSubdirectory("rewind-config-notice-").FullName;
        try
        {
            var url = $"http://127.0.0.1:{Runtime.Samples.SampleRelease.FreeLoopbackPort().ToString(CultureInfo.InvariantCulture)}";
            var config = Path.Combine(root, "rewind.yaml");
            var valid = $$"""
                store: sqlite:rewind.db
                server: { listen: "{{url}}" }
                components:
                  web:
                    provider: { command: { switch: ["true"] } }
                    probes: { health: { tcp: { host: 127.0.0.1, port: 9 }, interval: 1s, timeout: 500ms } }
                """;
            await File.WriteAllTextAsync(config, valid);
            var token = await RewindProcess.InitAccessAsync(config);
            using var server = RewindProcess.Start("serve", "--config", config);
            using (var http = new HttpClient { BaseAddress = new Uri(url + "/") })
            {
                var admin = new Client.RewindClient(http);
                await Eventually.WaitAsync(async () => !server.HasExited && (await admin.GetHealthAsync()).Status == "ok", Deadline, "the controller to answer");
            }

            await using var session = await browser.LoginAsync(url, token);
            await session.Page.GotoAsync("/ui/");
            var notice = session.Page.Locator("#config-notice");
            await Assertions.Expect(session.Page.Locator("[data-component=web]")).ToBeVisibleAsync();
            await Assertions.Expect(notice).ToBeHiddenAsync();

            await File.WriteAllTextAsync(config, valid.Replace("interval: 1s", "interval: often", StringComparison.Ordinal));

            await Assertions.Expect(notice).ToBeVisibleAsync(new() { Timeout = 20_000 });
            await Assertions.Expect(notice).ToContainTextAsync("Config reload refused");
            await Assertions.Expect(notice.Locator(".config-error")).ToContainTextAsync($"{config}:6:");
            await Assertions.Expect(notice.Locator(".config-error")).ToContainTextAsync("components.web.probes.health.interval");
            await File.WriteAllTextAsync(config, valid);
            await Assertions.Expect(notice).ToBeHiddenAsync(new() { Timeout = 20_000 });
            session.Errors.ShouldBeEmpty();
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
