namespace Rewind.Server.Tests.Api;

/// <summary>The maintenance API's contract: the window declared shows on the component, and ends once. What a window does to policies is tested on the engine.</summary>
public sealed class MaintenanceEndpointsTests
{
    [Fact]
    public async Task StartAndEnd_ShowTheWindowOnTheComponent_ThenEndingAgainIs404()
    {
        await using var server = await ServerFixture.StartAsync();

        var window = await server.Client.StartMaintenanceAsync("web", new Client.MaintenanceRequest("10m", "schema migration", "alice"));
        var during = await server.Client.GetComponentAsync("web");
        await server.Client.EndMaintenanceAsync("web");
        var again = await Should.ThrowAsync<Client.RewindApiException>(() => server.Client.EndMaintenanceAsync("web"));

        window.EndsAt.ShouldBe(window.StartsAt + TimeSpan.FromMinutes(10), TimeSpan.FromMilliseconds(1));
        during.MaintenanceUntil!.Value.ShouldBe(window.EndsAt, TimeSpan.FromMilliseconds(1));
        (await server.Client.GetComponentAsync("web")).MaintenanceUntil.ShouldBeNull();
        again.Status.ShouldBe(404);
    }
}
