using Npgsql;
using Rewind.Runtime.Samples;
using Rewind.TestUtils;

namespace Rewind.EndToEnd.Tests.Seeds;

/// <summary>
/// The BookedBarber seed running: one sample service per release (v1 good, v2 failing every request, v3 good but with a
/// migration that deletes the upcoming appointments) behind real HAProxy, real Redis, the database a provider-managed
/// PostgreSQL (fake-managed-postgres, with a queue delay and transient failures) holding 100 upcoming appointments, and
/// the controller on v1 known good. Disposed in order: services, controller, provider, provider's directory.
/// </summary>
internal sealed class BookedbarberStack : IAsyncDisposable
{
    /// <summary>A draw of the provider's transient failures (fraction 0.5) in which the first recovery fails and the second succeeds.</summary>
    private const string ProviderSeed = "2";

    private readonly List<(string App, int Port)> _services = [];
    private readonly List<IAsyncDisposable> _owned = [];
    private RedisServer? _redis;
    private string? _providerState;

    public SeedStack Stack { get; private set; } = null!;

    public HaproxyProcess Haproxy { get; private set; } = null!;

    public RedisServer Redis => _redis!;

    public ManagedPostgresServer Database { get; private set; } = null!;

    public static async Task<BookedbarberStack> StartAsync()
    {
        var seed = new BookedbarberStack();
        try
        {
            await seed.StartServicesAsync();
            await seed.StartControllerAsync();
            return seed;
        }
        catch
        {
            await seed.DisposeAsync();
            throw;
        }
    }

    /// <summary>The version the site answers with, through HAProxy.</summary>
    public async Task<string> ServingAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        return await http.GetStringAsync(new Uri(Haproxy.FrontendUrl + "/health"));
    }

    public async Task<long> AppointmentsAsync()
    {
        await using var connection = await Database.ConnectAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM appointments WHERE starts_at > now()", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private async Task StartServicesAsync()
    {
        Stack = await SeedStack.CopyAsync("bookedbarber");
        _owned.Add(Stack);
        var ports = new[] { SampleRelease.FreeLoopbackPort(), SampleRelease.FreeLoopbackPort(), SampleRelease.FreeLoopbackPort() };
        foreach (var (version, broken, port) in new[] { ("v1", false, ports[0]), ("v2", true, ports[1]), ("v3", false, ports[2]) })
        {
            var app = InstallApp(Path.Combine(Stack.Root, version), version, broken);
            _services.Add((app, port));
            (await SeedDrillTests.ServiceCtlAsync(app, port, "start")).ShouldBe(0);
        }

        Haproxy = await HaproxyProcess.StartAsync([("app-v1", ports[0], 256), ("app-v2", ports[1], 0), ("app-v3", ports[2], 0)], backend: "web");
        _owned.Add(Haproxy);
        _redis = await RedisServer.StartAsync();
        _providerState = await PostgresCluster.CreateDirectoryAsync("rewind-seed-bookedbarber-provider");
        Database = await ManagedPostgresServer.StartAsync(Path.Combine(_providerState, "state"), "--latency-ms", "500", "--fail-fraction", "0.5", "--seed", ProviderSeed);
        await using var connection = await Database.ConnectAsync();
        await using var create = new NpgsqlCommand("CREATE TABLE appointments (id int PRIMARY KEY, starts_at timestamptz NOT NULL); INSERT INTO appointments SELECT n, now() + n * interval '1 day' FROM generate_series(1, 100) n", connection);
        await create.ExecuteNonQueryAsync();
    }

    private async Task StartControllerAsync()
    {
        var bin = Directory.CreateDirectory(Path.Combine(Stack.Root, "bin")).FullName;
        File.CreateSymbolicLink(Path.Combine(bin, "fake-managed-postgres"), Path.Combine(Repository.Root, "samples", "fakes", "fake-managed-postgres"));
        Stack.Fill(new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["@HAPROXY_ADMIN@"] = Haproxy.AdminSocket, ["@FRONTEND_URL@"] = Haproxy.FrontendUrl, ["@REDIS_PORT@"] = SeedStack.Port(Redis.Port),
            ["@PG_URL@"] = Database.Url, ["@PG_API@"] = Database.Api.GetLeftPart(UriPartial.Authority), ["@PSQL@"] = Path.Combine(PostgresCluster.BinDirectory, "psql"),
        });
        await Stack.StartAsync(new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["PATH"] = bin + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH"),
            ["RENDER_API_KEY"] = ManagedPostgresServer.Token,
        });
        await SeedDrillTests.RecordStableAsync(Stack, "app", "v1");
        (await Redis.CommandAsync("SET page:home cached")).ShouldContain("OK");
    }

    private static string InstallApp(string root, string version, bool broken)
    {
        var app = Path.Combine(root, "app");
        SampleRelease.Install(Repository.BuildOutput("SampleService"), app, version, broken);
        File.CreateSymbolicLink(Path.Combine(app, "current"), Path.Combine("releases", version));
        return app;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (app, port) in _services)
        {
            await SeedDrillTests.ServiceCtlAsync(app, port, "stop");
        }

        foreach (var owned in Enumerable.Reverse(_owned))
        {
            await owned.DisposeAsync();
        }

        _redis?.Dispose();
        if (Database is not null)
        {
            await Database.DisposeAsync();
        }

        if (_providerState is not null)
        {
            Directory.Delete(_providerState, recursive: true);
        }
    }
}
