using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Rewind.Core.Configuration;
using Rewind.Core.Incidents;
using Rewind.Core.Releases;
using Rewind.Core.Runbooks;
using Rewind.Core.Signals;
using Rewind.Core.Storage;
using Rewind.Engine.Policies;
using Rewind.Engine.Runbooks;
using Rewind.Engine.Signals;
using Rewind.Runtime.Signals;
using Rewind.Storage;

namespace Rewind.Engine.Tests;

/// <summary>
/// The engine built as the controller builds it (<see cref="EngineServices.AddRewindEngine"/>), on a real SQLite store
/// and a real release directory, without a host: no loop runs. Time is a <see cref="FakeTimeProvider"/> the test moves;
/// probe samples are fed to the decision engine directly; the rollback's own probes answer what <see cref="Probe"/> says.
/// </summary>
internal sealed class EngineFixture : IAsyncDisposable
{
    /// <summary>Where every test's clock starts: a fixed instant, so that what a test sees never depends on the day.</summary>
    public static readonly DateTimeOffset Start = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    /// <summary>The probes' interval in the fixture's config: samples are fed this far apart.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);

    private readonly ServiceProvider _services;

    private EngineFixture(string root, FakeTimeProvider time, ServiceProvider services, ScriptedProbe probe)
    {
        Root = root;
        Time = time;
        _services = services;
        Probe = probe;
    }

    public string Root { get; }

    public string AppRoot => Path.Combine(Root, "app");

    public FakeTimeProvider Time { get; }

    /// <summary>What the probes of a rollback's <c>wait-healthy</c> step answer.</summary>
    public ScriptedProbe Probe { get; }

    public IStore Store => Get<IStore>();

    public DecisionEngine Engine => Get<DecisionEngine>();

    public DateTimeOffset Now => Time.GetUtcNow();

    public string CurrentTarget => File.ResolveLinkTarget(Path.Combine(AppRoot, "current"), returnFinalTarget: false)!.FullName;

    public T Get<T>()
        where T : notnull => _services.GetRequiredService<T>();

    /// <summary>
    /// A component <c>web</c> on a release directory (v1, v2; current v2) with one HTTP probe <c>health</c> every 200 ms,
    /// <paramref name="policies"/>, and whatever else the arguments add. <paramref name="store"/> may name a store of an
    /// earlier fixture: a restarted controller. <paramref name="wrapStore"/> may put a decorator around the store the
    /// engine is given (one that counts its reads).
    /// </summary>
    public static async Task<EngineFixture> StartAsync(
        string policies = "{}", string restart = "[\"true\"]", string componentExtra = "", string probesExtra = "", string extra = "", string components = "", string? store = null, DateTimeOffset? at = null,
        Func<IStore, IStore>? wrapStore = null)
    {
        var root = Directory.CreateTempSubdirectory("rewind-engine-").FullName;
        foreach (var version in new[] { "v1", "v2" })
        {
            Directory.CreateDirectory(Path.Combine(root, "app", "releases", version));
        }

        File.CreateSymbolicLink(Path.Combine(root, "app", "current"), Path.Combine("releases", "v2"));
        var yaml = string.Create(CultureInfo.InvariantCulture, $$"""
            store: "{{store ?? "sqlite:" + Path.Combine(root, "rewind.db")}}"
            components:
              web:
                provider:
                  release-dir:
                    path: app
                    restart: {{restart}}
                probes:
                  health:
                    http: { url: "http://127.0.0.1:9/health" }
                    interval: 200ms
                    timeout: 100ms
                  {{probesExtra}}
                policies: {{policies}}
                healthy-timeout: 1s
                healthy-successes: 1
                {{componentExtra}}
              {{components}}
            {{extra}}
            """);
        var parsed = ConfigParser.Parse(yaml, "rewind.yaml", root);
        parsed.Errors.ShouldBeEmpty();
        var config = parsed.Config!;
        var time = new FakeTimeProvider(at ?? Start);
        var opened = StoreFactory.Open(config.Store, time);
        await opened.MigrateAsync();
        foreach (var (name, component) in config.Components)
        {
            await opened.EnsureComponentAsync(name, component.Provider.Kind);
        }

        var probe = new ScriptedProbe(time);
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        services.AddSingleton(_ => wrapStore is null ? opened : wrapStore(opened));
        services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        services.AddRewindEngine(config, new RewindEngineOptions { StoreFile = StoreFactory.SqliteFile(config.Store), IsDiskFull = StoreFactory.IsDiskFull });
        services.AddSingleton<IProbe>(probe);
        return new EngineFixture(root, time, services.BuildServiceProvider(), probe);
    }

    /// <summary>One sample of <paramref name="probe"/> now, as the monitor hands it on: to the health board, the store and the decision engine.</summary>
    public async Task SampleAsync(bool success, string probe = "health", string component = "web")
    {
        var sample = new ProbeSample(component, probe, Now, success, 5, success ? null : "status 503, expected 200");
        Get<HealthBoard>().Update(sample);
        await Store.AddSampleAsync(sample);
        await Engine.ObserveAsync(sample);
    }

    /// <summary><paramref name="count"/> samples, one per probe interval: the clock moves an interval before each.</summary>
    public async Task SamplesAsync(int count, bool success, string probe = "health")
    {
        for (var i = 0; i < count; i++)
        {
            Time.Advance(Interval);
            await SampleAsync(success, probe);
        }
    }

    /// <summary>One tick of the condition clock: counted conditions, trends, holds whose time has come.</summary>
    public async Task TickAsync()
    {
        await Engine.TickAsync();
        await Engine.RetryHeldAsync();
    }

    /// <summary>Records <paramref name="version"/> as the API does for a plain deploy: current, baking.</summary>
    public Task<Release> RecordAsync(string version) =>
        Store.RecordReleaseAsync(new Release("web", version, ReleaseState.Baking, Now, null, null, "alice"));

    /// <summary>v1 stable (a minute ago), then v2 current: the last known good is v1.</summary>
    public async Task StableV1ThenV2Async()
    {
        await RecordAsync("v1");
        await Store.SetReleaseStateAsync("web", "v1", ReleaseState.Stable, Now - TimeSpan.FromMinutes(1));
        await RecordAsync("v2");
    }

    /// <summary>Runs the rollback to its end as the executor does (its steps need no timer: a restart that returns, probes that answer).</summary>
    public async Task<Rollback> RunRollbackAsync(string id)
    {
        await Get<RollbackExecutor>().RunAsync(id);
        return (await Store.GetRollbackAsync(id))!;
    }

    public async Task<IReadOnlyList<Incident>> IncidentsAsync() => await Store.GetIncidentsAsync(100);

    public async Task<IReadOnlyList<Rollback>> RollbacksAsync() => await Store.GetRollbacksAsync(100);

    public async Task<IReadOnlyList<TimelineEvent>> TimelineAsync(string incidentId) => await Store.GetTimelineAsync(incidentId);

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(Root, recursive: true);
    }
}

/// <summary>A probe whose answer the test sets: the seam between the engine and the protected system.</summary>
internal sealed class ScriptedProbe(TimeProvider time) : IProbe
{
    public bool Healthy { get; set; } = true;

    public Task<ProbeSample> RunAsync(string component, string probe, ProbeConfig config, CancellationToken cancellationToken = default) =>
        Task.FromResult(new ProbeSample(component, probe, time.GetUtcNow(), Healthy, 1, Healthy ? null : "status 503, expected 200"));
}
