using Rewind.Client;
using Rewind.Runtime.Releases;
using Rewind.TestUtils;

namespace Rewind.EndToEnd.Tests;

/// <summary>
/// A release that answers its health check but fails one request in five: only the regression test on scraped
/// traffic can see it. Real service, real scrapes of its /metrics, real traffic from the test.
/// </summary>
public sealed class RegressionTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task HealthyLookingReleaseWithErrors_IsDetectedByTheSequentialTestAndRolledBack()
    {
        await using var deployment = new Deployment();
        deployment.Install("v1", "none");
        deployment.Install("v2", "none", errorFraction: 0.2);
        deployment.PointCurrentAt("v1");
        deployment.WriteConfig();
        deployment.WriteRegressionConfig();
        (await deployment.ServiceCtlAsync("start")).Succeeded.ShouldBeTrue();
        using var service = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        await Eventually.WaitAsync(async () => (await service.GetAsync(new Uri(deployment.ServiceUrl + "/health"))).IsSuccessStatusCode, Deadline, "v1 to start");

        using var traffic = new CancellationTokenSource(Deadline);
        var load = Task.WhenAll(Enumerable.Range(0, 4).Select(_ => SendTrafficAsync(service, deployment.ServiceUrl, traffic.Token)));
        using var rewind = RewindProcess.Start("serve", "--config", deployment.ConfigPath);
        using var http = new HttpClient { BaseAddress = new Uri(deployment.ApiUrl + "/"), Timeout = TimeSpan.FromSeconds(5) };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", await RewindProcess.InitAccessAsync(deployment.ConfigPath));
        var client = new RewindClient(http);
        await Eventually.WaitAsync(async () => (await client.GetHealthAsync()).Status == "ok", Deadline, "the controller");
        await client.RecordReleaseAsync("web", new RecordReleaseRequest("v1"));
        await Eventually.WaitAsync(async () => (await client.GetReleasesAsync("web")).Any(r => r is { Version: "v1", State: "stable" }), Deadline, "v1 to become stable");

        ReleaseDirectory.Switch(deployment.AppRoot, "v2").Succeeded.ShouldBeTrue();
        (await deployment.ServiceCtlAsync("restart")).Succeeded.ShouldBeTrue();
        await client.RecordReleaseAsync("web", new RecordReleaseRequest("v2"));
        var rollback = await Eventually.WaitAsync(
            async () => (await client.GetRollbacksAsync()) is [{ Status: "succeeded" or "failed" } r, ..] ? r : null,
            Deadline,
            "the rollback away from v2");
        await traffic.CancelAsync();
        await load;

        rollback.Status.ShouldBe("succeeded", rewind.Output);
        rollback.RequestedBy.ShouldBe("policy:regressed");
        var incident = await client.GetIncidentAsync(rollback.IncidentId!);
        incident.Timeline.ShouldContain(e => e.Kind == "evidence" && e.Message.Contains("against the last known good's", StringComparison.Ordinal));
        (await service.GetStringAsync(new Uri(deployment.ServiceUrl + "/health"))).ShouldContain("\"version\":\"v1\"");
    }

    private static async Task SendTrafficAsync(HttpClient service, string url, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                using var response = await service.GetAsync(new Uri(url + "/"), cancellationToken);
#pragma warning disable RS0030 // the pace of the load, not a wait of the test
                await Task.Delay(5, cancellationToken); // paced: four senders at most about 800 requests a second, not a CPU hog
#pragma warning restore RS0030
            }
            catch (HttpRequestException)
            {
#pragma warning disable RS0030 // the pace of the load while the service restarts
                await Task.Delay(20, CancellationToken.None); // the service is restarting
#pragma warning restore RS0030
            }
            catch (TaskCanceledException)
            {
                return;
            }
        }
    }
}
