using System.Globalization;
using System.Text.Json;
using Npgsql;
using Rewind.Bench.Backups;
using Rewind.Runtime.Processes;
using Rewind.Runtime.Samples;

namespace Rewind.Bench.Failover;

/// <summary>
/// A real PostgreSQL store, the sample service in a release-dir layout (v1 healthy, bad-1… broken), and three controller
/// replicas on it with a 5 s lease; a rollback plan whose first step (a 2 s command) leaves time to fail over in.
/// </summary>
internal sealed class FailoverWorld : IAsyncDisposable
{
    public const string LeaseText = "5s";

    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(5);

    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    private readonly string _repository;
    private readonly BenchServer _postgres;
    private readonly Dictionary<string, ReplicaProcess> _replicas = new(StringComparer.Ordinal);
    private string _token = "";

    private FailoverWorld(string repository, string root, BenchServer postgres)
    {
        _repository = repository;
        Root = root;
        _postgres = postgres;
        ServicePort = SampleRelease.FreeLoopbackPort();
    }

    public string Root { get; }

    public string App => Path.Combine(Root, "app");

    public string ConfigPath => Path.Combine(Root, "rewind.yaml");

    public int ServicePort { get; }

    /// <summary>Pooled: the benchmark polls the lease and the steps every few milliseconds, and a new backend per poll would load the host it measures.</summary>
    public string ConnectionString => _postgres.ConnectionString("rewind").Replace("Pooling=false", "Pooling=true", StringComparison.Ordinal);

    public IReadOnlyDictionary<string, ReplicaProcess> Replicas => _replicas;

    public static async Task<FailoverWorld> CreateAsync(string repository)
    {
        var root = Directory.CreateTempSubdirectory("rewind-failover-").FullName;
        if (!OperatingSystem.IsWindows())
        {
            // PostgreSQL's own user must reach its data directory inside
            File.SetUnixFileMode(root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }

        var data = await Pg.DirectoryAsync(root, "pg");
        await Pg.RunAsync(Pg.Command("initdb", "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-instructions"));
        var postgres = BenchServer.Start(data, new Dictionary<string, string>(StringComparer.Ordinal) { ["fsync"] = "off" });
        await postgres.WaitUntilPromotedAsync(TimeSpan.FromSeconds(60));
        await postgres.ExecuteAsync("CREATE DATABASE rewind");
        var world = new FailoverWorld(repository, root, postgres);
        await world.PrepareAsync();
        return world;
    }

    public ReplicaProcess Start(string name)
    {
        var replica = ReplicaProcess.Start(_repository, ConfigPath, name, SampleRelease.FreeLoopbackPort(), _token);
        _replicas[name] = replica;
        return replica;
    }

    /// <summary>The broken releases installed, one per deploy (a release rolled back is not deployed again).</summary>
    public const int BrokenReleases = 9;

    /// <summary>A deploy of broken release <c>bad-N</c>, as a pipeline does it: switch, restart, record (through a replica that does not lead).</summary>
    public async Task DeployBrokenAsync(int n, string through)
    {
        var version = $"bad-{n}";
        Runtime.Releases.ReleaseDirectory.Switch(App, version);
        (await ServiceCtlAsync("restart")).Succeeded.ShouldBeTrueOr($"restarting the service on {version}");
        await _replicas[through].Client.RecordReleaseAsync("web", new Client.RecordReleaseRequest(version));
    }

    public async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync() is { } value and not DBNull ? (T)value : default!;
    }

    public async Task<(string? Holder, long Epoch, DateTimeOffset? AcquiredAt)> LeaseAsync()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT holder, epoch, acquired_at FROM controller_lease WHERE id = 1 AND expires_at > clock_timestamp()", connection);
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync()
            ? (reader.IsDBNull(0) ? null : reader.GetString(0), reader.GetInt64(1), reader.IsDBNull(2) ? null : reader.GetFieldValue<DateTimeOffset>(2))
            : (null, 0, null);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var replica in _replicas.Values)
        {
            replica.Signal("CONT");
            replica.Dispose();
            await File.WriteAllTextAsync(Path.Combine(Path.GetTempPath(), $"failover-{replica.Name}.log"), replica.Output); // for a look after the run
        }

        await ServiceCtlAsync("stop");
        await _postgres.DisposeAsync();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // left for the system's temp cleaning
        }
    }

    private async Task PrepareAsync()
    {
        var build = Path.Combine(_repository, ".artifacts", "bin", "SampleService", "release");
        SampleRelease.Install(build, App, "v1", broken: false);
        for (var n = 1; n <= BrokenReleases; n++)
        {
            SampleRelease.Install(build, App, $"bad-{n}", broken: true);
        }
        File.CreateSymbolicLink(Path.Combine(App, "current"), "releases/v1");
        (await ServiceCtlAsync("start")).Succeeded.ShouldBeTrueOr("starting the sample service");
        await File.WriteAllTextAsync(ConfigPath, Config());
        var init = await new ProcessRunner().RunAsync(new ProcessRequest([Path.Combine(_repository, "rewind"), "access", "init", "admin", "--config", ConfigPath], Root, TimeSpan.FromMinutes(5)));
        init.Succeeded.ShouldBeTrueOr($"rewind access init: {init.Output}");
        _token = init.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Last(l => l.StartsWith("rwt_", StringComparison.Ordinal));
    }

    private Task<ProcessResult> ServiceCtlAsync(string verb) =>
        new ProcessRunner().RunAsync(new ProcessRequest([Path.Combine(_repository, "samples", "servicectl"), verb, App, ServicePort.ToString(CultureInfo.InvariantCulture)], Root, TimeSpan.FromSeconds(30)));

    private string Config() => string.Create(CultureInfo.InvariantCulture, $$"""
        store: "postgres://postgres@127.0.0.1:{{_postgres.Port}}/rewind"
        server:
          listen: http://127.0.0.1:7878
          leader-lease: {{LeaseText}}
        components:
          web:
            provider:
              release-dir:
                path: {{JsonSerializer.Serialize(App)}}
                restart: [{{JsonSerializer.Serialize(Path.Combine(_repository, "samples", "servicectl"))}}, restart, {{JsonSerializer.Serialize(App)}}, "{{ServicePort}}"]
            probes:
              health:
                http:
                  url: http://127.0.0.1:{{ServicePort}}/health
                  json-field: { path: status, equals: ok }
                interval: 300ms
                timeout: 250ms
            policies:
              health-down:
                when: { probe: health, failing-for: 600ms, min-failures: 2 }
                mode: auto
                cooldown: 1s
            plan:
              - command: { argv: [/bin/sleep, "2"] }
              - switch: {}
              - wait-healthy: {}
            bake-time: 1s
            auto-rollback-limit: { count: 100, window: 1h }
            healthy-successes: 2
            healthy-timeout: 60s
        notifications:
          channels:
            pager:
              command: { argv: [/bin/true] }
              events: [opened, rollback-started, rollback-finished, rollback-failed, resolved]
        """);
}

internal static class Checks
{
    public static void ShouldBeTrueOr(this bool value, string what)
    {
        if (!value)
        {
            throw new InvalidOperationException($"failover benchmark: {what} failed");
        }
    }
}
