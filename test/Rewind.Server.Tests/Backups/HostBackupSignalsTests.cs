using Rewind.Client;
using Rewind.Core.Backups;
using Rewind.Server.Backups;

namespace Rewind.Server.Tests.Backups;

/// <summary>
/// The backup signals of a cluster on another host (<c>host: db-1</c>), on a real controller: the repository is there,
/// so the signals come from what db-1's agent measured and sent; only db-1's agent may send them; and the controller
/// never reads the repository path of its own config for such a cluster (nothing there would mean "nothing archived").
/// </summary>
public sealed class HostBackupSignalsTests
{
    [Fact]
    public async Task MeasurementFromTheHostsAgent_IsWhatTheSignalsSay_AndAnotherHostsAgentIsRefused()
    {
        var db = $$"""db: { host: db-1, provider: { postgres: { url: "postgres://postgres@127.0.0.1:9/postgres", data-directory: /var/lib/postgresql/15/main } }, backups: { repository: /nonexistent/on-the-controller }, probes: { up: { tcp: { host: 127.0.0.1, port: 9 } } }, policies: { rpo: { when: { signal: { name: backup.rpo, above: 1h } }, mode: notify, severity: P2 } } }""";
        await using var server = await ServerFixture.StartAsync(components: db);
        var signals = server.HostedService<BackupSignalsHostedService>();
        var dbAgent = new RewindClient(server.HttpAs((await server.Client.CreateAgentTokenAsync(new CreateAgentTokenRequest("db-1", "database"))).Token));
        var appAgent = new RewindClient(server.HttpAs((await server.Client.CreateAgentTokenAsync(new CreateAgentTokenRequest("app-1", "app"))).Token));

        await signals.MeasureAllAsync(CancellationToken.None); // nothing measured on db-1 yet: no value, not "nothing archived"
        (await server.Client.GetSignalsAsync("db")).Where(s => s.Signal == BackupSignals.Rpo).ShouldAllBe(s => s.Value == null);

        var archived = TimeProvider.System.GetUtcNow().AddMinutes(-2);
        (await dbAgent.ReportAgentBackupsAsync(new AgentBackupsRequest([new AgentBackupStateDto("db", archived, archived.AddMinutes(-30))]))).Kept.ShouldBe(1);
        var refused = await Should.ThrowAsync<RewindApiException>(() => appAgent.ReportAgentBackupsAsync(new AgentBackupsRequest([new AgentBackupStateDto("db", TimeProvider.System.GetUtcNow(), null)])));
        await signals.MeasureAllAsync(CancellationToken.None);

        refused.Status.ShouldBe(403);
        refused.Message.ShouldContain("db is not a component with backups on app-1");
        var listed = await server.Client.GetSignalsAsync("db");
        listed.Single(s => s.Signal == BackupSignals.Rpo).Value.ShouldNotBeNull().ShouldBeInRange(115, 300); // from db-1's measurement
        listed.Single(s => s.Signal == BackupSignals.Age).Value.ShouldNotBeNull().ShouldBeInRange(1915, 2100);
        (await server.Client.GetIncidentsAsync()).ShouldBeEmpty();
    }
}
