using Rewind.Runtime.Tests.Support;
using Rewind.TestUtils;

namespace Rewind.Runtime.Tests.Samples;

/// <summary><c>fake-managed-postgres restore</c>: the client a runbook's command step runs, against a real server.</summary>
public sealed partial class FakeManagedPostgresTests
{
    private const string TokenVariable = "PROVIDER_API_TOKEN";

    [Fact]
    public async Task RestoreCommand_ToANotedTime_FollowsTheOperationToItsEndAndExitsZero()
    {
        var server = fixture.Server;
        await ExecuteAsync(server, "CREATE TABLE bookings_cli (id int PRIMARY KEY); INSERT INTO bookings_cli VALUES (1)");
        var noted = await ClockAsync(server);
        await ExecuteAsync(server, "DELETE FROM bookings_cli");

        var call = await RestoreAsync(server, Rfc3339(noted), ManagedPostgresServer.Token);

        call.ExitCode.ShouldBe(0, call.Stderr);
        var lines = call.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines[0].ShouldMatch(@"^recovery op-[0-9a-f]+ accepted: database main back to \S+$");
        lines.ShouldContain(l => l.Contains(": running after ", StringComparison.Ordinal));
        lines[^1].ShouldStartWith($"recovery {lines[0].Split(' ')[1]} succeeded: database main restored to {Rfc3339(noted)}");
        (call.Stdout + call.Stderr).ShouldNotContain(ManagedPostgresServer.Token);
        (await IdsAsync(server, "bookings_cli")).ShouldBe([1]);
    }

    [Fact]
    public async Task RestoreCommand_TransientProviderFailure_ExitsOneWithTheProvidersMessage()
    {
        using var state = new TempDirectory();
        await using var server = await ManagedPostgresServer.StartAsync(state.Path, "--fail-fraction", "1");
        await ExecuteAsync(server, "CREATE TABLE kept_cli (id int); INSERT INTO kept_cli VALUES (1)");
        var noted = await ClockAsync(server);

        var call = await RestoreAsync(server, Rfc3339(noted), ManagedPostgresServer.Token);

        call.ExitCode.ShouldBe(1);
        call.Stderr.ShouldMatch(@"^fake-managed-postgres: recovery op-[0-9a-f]+ failed: UNAVAILABLE: the recovery could not be scheduled \(transient provider error\); the database was not changed, retry\n$");
        (await IdsAsync(server, "kept_cli")).ShouldBe([1]);
    }

    [Theory]
    [InlineData("not-the-token", "2026-01-02T03:04:05Z", 1, "the provider refused the recovery to 2026-01-02T03:04:05Z: HTTP 401: missing or invalid bearer token")]
    [InlineData(ManagedPostgresServer.Token, "2000-01-02T03:04:05Z", 1, "the provider refused the recovery to 2000-01-02T03:04:05Z: HTTP 400: restoreTime 2000-01-02T03:04:05.000000Z is outside the restore window")]
    [InlineData(ManagedPostgresServer.Token, "unknown", 2, "bad value: not an RFC 3339 time")]
    [InlineData(ManagedPostgresServer.Token, "2026-01-02T03:04:05", 2, "bad value: an RFC 3339 time needs an offset")]
    [InlineData("", "2026-01-02T03:04:05Z", 2, $"the environment variable {TokenVariable} (--token-env) is not set")]
    public async Task RestoreCommand_RefusedOrMisused_ExitsNonZeroSayingWhyWithoutTheToken(string token, string time, int exit, string message)
    {
        var call = await RestoreAsync(fixture.Server, time, token);

        call.ExitCode.ShouldBe(exit);
        call.Stderr.ShouldContain("fake-managed-postgres: " + message);
        call.Stdout.ShouldBeEmpty();
        if (token.Length > 0)
        {
            call.Stderr.ShouldNotContain(token);
        }
    }

    /// <summary><c>restore --api … --time TIME --token-env PROVIDER_API_TOKEN</c>, the token (when not empty) only in that variable.</summary>
    private static Task<ScriptCall> RestoreAsync(ManagedPostgresServer server, string time, string token)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        if (token.Length > 0)
        {
            environment[TokenVariable] = token;
        }

        string[] args = ["restore", "--api", server.Api.ToString(), "--time", time, "--token-env", TokenVariable, "--timeout", "120", "--poll-ms", "100"];
        return ScriptCall.RunAsync(ScriptCall.StartInfo(Path.Combine(Repository.Root, "samples", "fakes", "fake-managed-postgres"), args, "FAKE_MANAGED_POSTGRES_", environment));
    }
}
