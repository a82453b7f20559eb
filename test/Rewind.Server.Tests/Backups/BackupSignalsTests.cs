using Rewind.Core.Backups;
using Rewind.Runtime.Backups;
using Rewind.Server.Backups;
using Rewind.TestUtils;

namespace Rewind.Server.Tests.Backups;

/// <summary>The backup signals on a real controller: measured from a real repository, watched by a policy that pages.</summary>
public sealed class BackupSignalsTests
{
    [Fact]
    public async Task RpoPastThePolicyLimit_OpensANotifyIncidentWithTheValue_AndSignalsListIt()
    {
        var repository = Directory.CreateTempSubdirectory("rewind-rpo-").FullName;
        try
        {
            var segment = Path.Combine(repository, "segment");
            await File.WriteAllBytesAsync(segment, new byte[64 * 1024]);
            var pushed = await new WalArchive(new BackupRepository(new BackupRepositoryOptions(repository))).PushAsync(segment, "000000010000000000000001");
            pushed.Outcome.ShouldBe(WalPushOutcome.Archived, pushed.Message);
            var db = $$"""db: { provider: { postgres: { url: "{{PostgresDatabase.ServerUrl()}}", data-directory: /var/lib/postgresql/15/main } }, backups: { repository: "{{repository}}" }, probes: { up: { tcp: { host: 127.0.0.1, port: 9 } } }, policies: { rpo: { when: { signal: { name: backup.rpo, above: 1s } }, mode: notify, severity: P2 } } }""";
            await using var server = await ServerFixture.StartAsync(components: db);
            var signals = server.HostedService<BackupSignalsHostedService>();

            await Eventually.PastAsync(TimeProvider.System.GetUtcNow().AddMilliseconds(1200), "the archived file to be older than the policy's 1s");
            var incident = await Eventually.WaitAsync(
                async () =>
                {
                    await signals.MeasureAllAsync(CancellationToken.None);
                    return (await server.Client.GetIncidentsAsync()).FirstOrDefault(i => i.Component == "db") is { } i ? await server.Client.GetIncidentAsync(i.Id) : null;
                },
                TimeSpan.FromSeconds(20),
                "the rpo policy to fire");

            incident.Policy.ShouldBe("rpo");
            incident.Severity.ShouldBe("P2");
            incident.Timeline.First(e => e.Kind == "evidence").Message.ShouldStartWith("policy rpo: signal backup.rpo = ");
            incident.Timeline.ShouldContain(e => e.Message == "policy rpo is notify-only: no rollback");
            var listed = await server.Client.GetSignalsAsync("db");
            listed.Single(s => s.Signal == BackupSignals.Rpo).Value.ShouldNotBeNull().ShouldBeGreaterThan(1);
            listed.Single(s => s.Signal == BackupSignals.Age).Value.ShouldBeNull(); // no base backup: no data, not zero
            listed.Single(s => s.Signal == BackupSignals.VerifyFailing).Value.ShouldBe(1); // never proven restorable
        }
        finally
        {
            Directory.Delete(repository, recursive: true);
        }
    }
}
