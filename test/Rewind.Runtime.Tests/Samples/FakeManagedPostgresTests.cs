using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Rewind.Runtime.Tests.Support;
using Rewind.TestUtils;
using Xunit.Abstractions;

namespace Rewind.Runtime.Tests.Samples;

/// <summary>
/// The fake managed PostgreSQL (<c>samples/fakes/fake-managed-postgres</c>): a real cluster behind a provider's HTTP API.
/// Most tests share one server (each waits for its own operations); a test that needs other flags starts its own.
/// </summary>
public sealed partial class FakeManagedPostgresTests(ManagedPostgresFixture fixture, ITestOutputHelper output) : IClassFixture<ManagedPostgresFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Recovery_ToANotedTime_KeepsExactlyTheRowsCommittedBeforeIt()
    {
        var server = fixture.Server;
        await ExecuteAsync(server, "CREATE TABLE orders_pitr (id int PRIMARY KEY); INSERT INTO orders_pitr VALUES (1), (2)");
        var noted = await ClockAsync(server);
        await ExecuteAsync(server, "INSERT INTO orders_pitr VALUES (3), (4)");
        using var client = server.Client();
        var clock = Stopwatch.StartNew();

        var accepted = await client.PostAsJsonAsync("v1/databases/main/recoveries", new { restoreTime = Rfc3339(noted) });
        var operation = await FinishedAsync(client, accepted);
        output.WriteLine($"recovery to {Rfc3339(noted)}: {clock.Elapsed.TotalSeconds:F1} s from request to succeeded");

        accepted.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        operation.ShouldBe(operation with { Kind = "recovery", Status = "succeeded", Error = null, RestoreTime = Rfc3339(noted) });
        (await IdsAsync(server, "orders_pitr")).ShouldBe([1, 2]);
        (await DatabaseAsync(client)).Status.ShouldBe("available");
    }

    [Fact]
    public async Task Recovery_WhileItRuns_StatusIsRecoveringAndConnectionsFail_ThenAvailable()
    {
        var server = fixture.Server;
        using var client = server.Client();
        var latest = (await DatabaseAsync(client)).LatestRestoreTime!.Value;

        var accepted = await client.PostAsJsonAsync("v1/databases/main/recoveries", new { restoreTime = Rfc3339(latest) });
        var during = await DatabaseAsync(client);
        await Eventually.WaitAsync(async () => !await CanConnectAsync(server), Deadline, "connections to fail during the recovery");
        var operation = await FinishedAsync(client, accepted);
        var after = await DatabaseAsync(client);

        during.Status.ShouldBe("recovering");
        operation.Status.ShouldBe("succeeded", operation.Error);
        after.Status.ShouldBe("available");
        (await CanConnectAsync(server)).ShouldBeTrue();
    }

    [Fact]
    public async Task Recovery_WhileAnotherRuns_Conflicts()
    {
        using var client = fixture.Server.Client();
        var latest = Rfc3339((await DatabaseAsync(client)).LatestRestoreTime!.Value);

        var first = await client.PostAsJsonAsync("v1/databases/main/recoveries", new { restoreTime = latest });
        var second = await client.PostAsJsonAsync("v1/databases/main/recoveries", new { restoreTime = latest });
        var backup = await client.PostAsync("v1/databases/main/backups", content: null);
        var operation = await FinishedAsync(client, first);

        second.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await second.Content.ReadAsStringAsync()).ShouldContain($"operation {operation.Id} is in progress");
        backup.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        operation.Status.ShouldBe("succeeded", operation.Error);
    }

    [Fact]
    public async Task Recovery_OutsideTheRestoreWindowOrMalformed_IsRejected()
    {
        using var client = fixture.Server.Client();
        var database = await DatabaseAsync(client);
        string[] bodies =
        [
            $$"""{"restoreTime": "{{Rfc3339(database.EarliestRestoreTime!.Value.AddMinutes(-1))}}"}""",
            $$"""{"restoreTime": "{{Rfc3339(database.LatestRestoreTime!.Value.AddHours(1))}}"}""",
            """{"restoreTime": "2026-01-02T03:04:05"}""",
            """{"restoreTime": "yesterday"}""",
            """{"time": "2026-01-02T03:04:05Z"}""",
            """{"restoreTime": """,
        ];

        var statuses = new List<HttpStatusCode>();
        foreach (var body in bodies)
        {
            using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
            statuses.Add((await client.PostAsync("v1/databases/main/recoveries", content)).StatusCode);
        }

        statuses.ShouldAllBe(s => s == HttpStatusCode.BadRequest);
        (await DatabaseAsync(client)).Status.ShouldBe("available");
    }

    [Fact]
    public async Task Requests_WithoutTheRightToken_AreUnauthorizedAndNeverEchoIt()
    {
        var server = fixture.Server;
        AuthenticationHeaderValue?[] wrong = [new("Bearer", "not-the-token"), new("Basic", ManagedPostgresServer.Token), new("Bearer", ManagedPostgresServer.Token + "x")];

        var responses = new List<HttpResponseMessage>();
        using (var anonymous = new HttpClient { BaseAddress = server.Api })
        {
            responses.Add(await anonymous.GetAsync("v1/databases/main"));
        }

        foreach (var authorization in wrong)
        {
            using var client = server.Client(authorization);
            responses.Add(await client.PostAsJsonAsync("v1/databases/main/recoveries", new { restoreTime = "2026-01-02T03:04:05Z" }));
        }

        responses.ShouldAllBe(r => r.StatusCode == HttpStatusCode.Unauthorized);
        responses.ShouldAllBe(r => r.Headers.WwwAuthenticate.Count == 1);
        foreach (var response in responses)
        {
            (await response.Content.ReadAsStringAsync()).ShouldNotContain(ManagedPostgresServer.Token);
        }
    }

    [Fact]
    public async Task Backups_APostTakesANewBaseBackupThatTheListShows()
    {
        using var client = fixture.Server.Client();
        var before = await BackupsAsync(client);

        var operation = await FinishedAsync(client, await client.PostAsync("v1/databases/main/backups", content: null));
        var after = await BackupsAsync(client);

        operation.ShouldBe(operation with { Kind = "backup", Status = "succeeded" });
        after.Length.ShouldBe(before.Length + 1);
        after[^1].ShouldBe(after[^1] with { Id = operation.BackupId!, Status = "succeeded" });
        after[^1].Finished.ShouldNotBeNull().ShouldBeGreaterThan(after[^1].Started);
        (await DatabaseAsync(client)).EarliestRestoreTime.ShouldBe(before[0].Finished);
    }

    [Fact]
    public async Task Recovery_TransientFailure_FailsAfterTheQueueDelayAndChangesNothing()
    {
        using var state = new TempDirectory();
        await using var server = await ManagedPostgresServer.StartAsync(state.Path, "--latency-ms", "1000", "--fail-fraction", "1");
        await ExecuteAsync(server, "CREATE TABLE kept (id int); INSERT INTO kept VALUES (1)");
        using var client = server.Client();
        var latest = Rfc3339((await DatabaseAsync(client)).LatestRestoreTime!.Value);

        var operation = await FinishedAsync(client, await client.PostAsJsonAsync("v1/databases/main/recoveries", new { restoreTime = latest }));

        operation.Status.ShouldBe("failed");
        operation.Error.ShouldStartWith("UNAVAILABLE: the recovery could not be scheduled (transient provider error); the database was not changed");
        (operation.Finished!.Value - operation.Started).ShouldBeGreaterThanOrEqualTo(TimeSpan.FromSeconds(1));
        (await IdsAsync(server, "kept")).ShouldBe([1]);
        (await DatabaseAsync(client)).Status.ShouldBe("available");
    }

    [Fact]
    public async Task Terminate_StopsPostgres_AndARestartServesTheSameDatabase()
    {
        using var state = new TempDirectory();
        var server = await ManagedPostgresServer.StartAsync(state.Path);
        await using (server)
        {
            await ExecuteAsync(server, "CREATE TABLE kept (id int); INSERT INTO kept VALUES (7)");
            var postmaster = server.PostmasterPid()!.Value;

            server.Terminate();

            (await server.WaitForExitAsync(TimeSpan.FromSeconds(60))).ShouldBe(0, server.Output);
            await Eventually.WaitAsync(() => Task.FromResult(!ProcessExists(postmaster)), TimeSpan.FromSeconds(10), "the postmaster to be gone");
        }

        await using var restarted = await ManagedPostgresServer.StartAsync(state.Path);
        restarted.PostgresPort.ShouldBe(server.PostgresPort);
        (await IdsAsync(restarted, "kept")).ShouldBe([7]);
    }
}

/// <summary>One server for the tests that can share it: started once per class, stopped with SIGTERM at the end.</summary>
public sealed class ManagedPostgresFixture : IAsyncLifetime
{
    private readonly TempDirectory _state = new();

    internal ManagedPostgresServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await ManagedPostgresServer.StartAsync(_state.Path);

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        _state.Dispose();
    }
}
