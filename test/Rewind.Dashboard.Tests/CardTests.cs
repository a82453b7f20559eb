using Microsoft.Playwright;
using Rewind.Client;

namespace Rewind.Dashboard.Tests;

[Collection(DashboardRuns.Name)]
public sealed class CardTests(DashboardWorld world, Browser browser)
{
    [Theory]
    [InlineData(1280)]
    [InlineData(375)]
    public async Task Charts_AtNarrowAndWideWidths_HaveOneLineLabelsAndStartAtTheSameHeight(int width)
    {
        await using var vera = await browser.LoginAsync(world.Url, world.Tokens["vera"], width);
        var page = vera.Page;
        await page.GotoAsync("/ui/");
        foreach (var component in new[] { "gate", "shop", "web" })
        {
            await Assertions.Expect(page.Locator($"[data-component={component}] figure.spark svg polyline")).ToHaveCountAsync(3);
        }

        // For every chart: how far below its caption's top the chart starts, and whether a caption line is cut or wrapped.
        var offsets = await page.EvaluateAsync<double[]>(
            "() => [...document.querySelectorAll('figure.spark')].map((f) => f.querySelector('svg').getBoundingClientRect().top - f.getBoundingClientRect().top)");
        var fits = await page.EvaluateAsync<bool[]>(
            "() => [...document.querySelectorAll('figure.spark figcaption > *')].map((line) => line.scrollWidth <= line.clientWidth && line.getClientRects().length === 1)");
        offsets.Length.ShouldBeGreaterThanOrEqualTo(9);
        offsets.Select(o => Math.Round(o)).Distinct().ShouldHaveSingleItem($"charts start at different heights at {width} px");
        fits.ShouldAllBe(fit => fit, $"a caption line is cut or wrapped at {width} px");
        (await vera.FitsWidthAsync()).ShouldBeTrue();
        await vera.ScreenshotAsync($"cards-{width}");
    }

    [Fact]
    public async Task RollbackButton_WhereTheApiRefusesEveryRollback_IsDisabledWithTheApisReason()
    {
        await using var olivia = await browser.LoginAsync(world.Url, world.Tokens["olivia"]);
        await olivia.Page.GotoAsync("/ui/");

        foreach (var component in new[] { "db", "worker" }) // a PostgreSQL cluster; a component with no known-good release
        {
            var refused = await Should.ThrowAsync<RewindApiException>(() => world.As("olivia").DryRunRollbackAsync(new RollbackRequest(component, "can it?", DryRun: true)));
            var card = olivia.Page.Locator($"[data-component={component}]");
            await Assertions.Expect(card.GetByTestId("rollback-button")).ToBeDisabledAsync();
            await Assertions.Expect(card.GetByTestId("rollback-refusal")).ToHaveTextAsync(refused.Detail!);
            (await world.Admin.GetComponentAsync(component)).RollbackRefusal.ShouldBe(refused.Detail);
        }

        await Assertions.Expect(olivia.Page.Locator("[data-component=db]")).ToContainTextAsync("PostgreSQL cluster");
        await olivia.ScreenshotAsync("card-refused");
        olivia.Errors.ShouldBeEmpty();
    }
}
