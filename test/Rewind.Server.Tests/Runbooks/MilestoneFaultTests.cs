using System.Globalization;
using Rewind.Client;
using Rewind.Core.Incidents;
using Rewind.Core.Releases;
using Rewind.Server.Tests.Notifications;
using Rewind.TestUtils;

namespace Rewind.Server.Tests.Runbooks;

/// <summary>
/// The store (PostgreSQL) fails exactly when a rollback writes an entry of its timeline: a trigger the test creates
/// refuses that one insert. A state change and its entry are there together or not at all, and the executor's retry
/// brings the rollback to its end with each entry, and the message it feeds, once.
/// </summary>
public sealed class MilestoneFaultTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task StoreFailsAtTheSucceededMilestone_RollbackStaysRunningWithoutIt_ThenEndsWithStatusEntryAndMessageOnce()
    {
        await using var setup = await ControllerAsync();
        var (database, server, receiver) = (setup.Database, setup.Server, setup.Receiver);
        await using var fault = await TimelineFault.ArmAsync(database, $"NEW.milestone = '{TimelineMilestones.RollbackFinished}'");

        var rollback = await server.Client.RequestRollbackAsync(new RollbackRequest("web", "milestone fault", RequestedBy: "alice"));
        await Eventually.WaitAsync(async () => await fault.HitsAsync() >= 2 ? (object)true : null, Deadline, "the store to refuse the milestone, then its retry");

        // Every step is done, but without its milestone the rollback is not succeeded, nor its incident resolved.
        var stalled = await server.Client.GetRollbackAsync(rollback.Id);
        stalled.Status.ShouldBe("running");
        stalled.Steps.ShouldAllBe(s => s.Status == "succeeded");
        var incident = rollback.IncidentId.ShouldNotBeNull();
        (await server.Client.GetIncidentAsync(incident)).Status.ShouldBe("mitigating");
        (await server.Store.GetReleaseAsync("web", "v2")).ShouldNotBeNull().State.ShouldBe(ReleaseState.Baking);
        (await server.Store.GetTimelineAsync(incident)).ShouldNotContain(e => e.Milestone == TimelineMilestones.RollbackFinished || e.Kind == TimelineKinds.Resolved);

        await fault.DisarmAsync();
        await Eventually.WaitAsync(() => Task.FromResult(receiver.Deliveries.Any(d => d.Event == "rollback-finished") ? (object)true : null), Deadline, "the rollback-finished message");

        (await server.Client.GetRollbackAsync(rollback.Id)).Status.ShouldBe("succeeded");
        (await server.Client.GetIncidentAsync(incident)).Status.ShouldBe("resolved");
        (await server.Store.GetReleaseAsync("web", "v2")).ShouldNotBeNull().State.ShouldBe(ReleaseState.RolledBack);
        var timeline = await server.Store.GetTimelineAsync(incident);
        timeline.Count(e => e.Milestone == TimelineMilestones.RollbackFinished).ShouldBe(1);
        timeline.Count(e => e.Kind == TimelineKinds.Resolved).ShouldBe(1);
        (await server.Client.GetNotificationsAsync()).Count(n => n.Event == "rollback-finished").ShouldBe(1);
        receiver.Deliveries.Count(d => d.Event == "rollback-finished").ShouldBe(1);
        receiver.Deliveries.Single(d => d.Event == "rollback-finished").Body.GetProperty("rollback").GetProperty("status").GetString().ShouldBe("succeeded");
    }

    [Fact]
    public async Task StoreFailsAtAStepEntry_StepStaysRunningWithoutIt_ThenRunsAgainAndIsRecordedOnce()
    {
        await using var setup = await ControllerAsync();
        var server = setup.Server;
        await using var fault = await TimelineFault.ArmAsync(setup.Database, "NEW.kind = 'step' AND NEW.message LIKE '% step 2/3 restart succeeded%'");

        var rollback = await server.Client.RequestRollbackAsync(new RollbackRequest("web", "step fault", RequestedBy: "alice"));
        await Eventually.WaitAsync(async () => await fault.HitsAsync() >= 2 ? (object)true : null, Deadline, "the store to refuse the step's entry, then its retry");

        var stalled = await server.Client.GetRollbackAsync(rollback.Id);
        stalled.Status.ShouldBe("running");
        stalled.Steps.Select(s => s.Status).ShouldBe(["succeeded", "running", "pending"]); // not succeeded without its entry
        var incident = rollback.IncidentId.ShouldNotBeNull();
        (await server.Store.GetTimelineAsync(incident)).ShouldNotContain(e => e.Message.Contains("step 2/3 restart succeeded", StringComparison.Ordinal));

        await fault.DisarmAsync();
        var done = await Eventually.WaitAsync(async () => await server.Client.GetRollbackAsync(rollback.Id) is { Status: "succeeded" } r ? r : null, Deadline, "the rollback to succeed");

        done.Steps[1].Attempts.ShouldBeGreaterThanOrEqualTo(2); // the (idempotent) restart ran again, as after a crash
        var timeline = await server.Store.GetTimelineAsync(incident);
        timeline.Count(e => e.Message.Contains("step 2/3 restart succeeded", StringComparison.Ordinal)).ShouldBe(1);
        timeline.Count(e => e.Milestone == TimelineMilestones.RollbackFinished).ShouldBe(1);
    }

    /// <summary>A controller on its own PostgreSQL database, v1 stable and v2 serving, a healthy service and a webhook receiver.</summary>
    private static async Task<Controller> ControllerAsync()
    {
        var secretEnv = $"REWIND_TEST_HOOK_SECRET_{Guid.NewGuid():N}";
        var secret = Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(secretEnv, secret);
        var database = await PostgresDatabase.CreateAsync();
        var endpoint = await SwitchableEndpoint.StartAsync(healthy: true);
        var receiver = await WebhookReceiver.UpAsync(secret);
        var server = await ServerFixture.StartAsync(
            restart: "[\"true\"]",
            probeUrl: endpoint.Url,
            store: database.Url,
            extra: $"notifications: {{ channels: {{ hook: {{ webhook: {{ url: \"{receiver.Url}\", secret-env: {secretEnv} }} }} }} }}");
        await Api.RollbackEndpointsTests.StableV1ThenV2Async(server);
        return new Controller(database, endpoint, receiver, server);
    }

    private sealed record Controller(PostgresDatabase Database, SwitchableEndpoint Endpoint, WebhookReceiver Receiver, ServerFixture Server) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Server.DisposeAsync();
            await Receiver.DisposeAsync();
            await Endpoint.DisposeAsync();
            await Database.DisposeAsync();
        }
    }

    /// <summary>
    /// A trigger that refuses the timeline inserts matching a condition on <c>NEW</c> while armed, counting each refusal
    /// in a sequence (which a rolled-back transaction does not undo).
    /// </summary>
    private sealed class TimelineFault : IAsyncDisposable
    {
        private readonly PostgresDatabase _database;

        private TimelineFault(PostgresDatabase database) => _database = database;

        public static async Task<TimelineFault> ArmAsync(PostgresDatabase database, string condition)
        {
            await database.ExecuteInsideAsync($"""
                CREATE SEQUENCE test_fault_hits;
                CREATE TABLE test_fault_armed (armed boolean NOT NULL);
                INSERT INTO test_fault_armed VALUES (true);
                CREATE FUNCTION test_fault() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF EXISTS (SELECT 1 FROM test_fault_armed) AND ({condition}) THEN
                        PERFORM nextval('test_fault_hits');
                        RAISE EXCEPTION 'store fault injected by the test';
                    END IF;
                    RETURN NEW;
                END $$;
                CREATE TRIGGER test_fault BEFORE INSERT ON timeline FOR EACH ROW EXECUTE FUNCTION test_fault();
                """);
            return new TimelineFault(database);
        }

        public async Task<long> HitsAsync() =>
            Convert.ToInt64(await _database.ExecuteInsideAsync("SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM test_fault_hits"), CultureInfo.InvariantCulture);

        public async Task DisarmAsync() => await _database.ExecuteInsideAsync("DELETE FROM test_fault_armed");

        public async ValueTask DisposeAsync() => await DisarmAsync();
    }
}
