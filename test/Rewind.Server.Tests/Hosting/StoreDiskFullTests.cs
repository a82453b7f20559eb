using System.Diagnostics;
using System.Net;
using Rewind.TestUtils;

namespace Rewind.Server.Tests.Hosting;

/// <summary>The SQLite store's disk fills up: the controller says so, keeps deciding from memory, and still rolls back.</summary>
public sealed class StoreDiskFullTests
{
    private const string AutoPolicy = "{ down: { when: { probe: health, failing-for: 300ms, min-failures: 2 }, severity: P1, mode: auto } }";

    [Fact]
    public async Task DiskFull_HealthSaysSo_APageArrives_ABrokenReleaseIsStillRolledBack_AndTheReserveIsTakenBackWithRoom()
    {
        await using var disk = await SmallDisk.MountAsync(megabytes: 32);
        await using var endpoint = await SwitchableEndpoint.StartAsync(healthy: true);
        var secretEnv = $"REWIND_TEST_HOOK_SECRET_{Guid.NewGuid():N}";
        Environment.SetEnvironmentVariable(secretEnv, "disk-full-test");
        await using var receiver = await Notifications.WebhookReceiver.UpAsync("disk-full-test");
        await using var server = await ServerFixture.StartAsync(
            restart: "[\"true\"]",
            policies: AutoPolicy,
            probeUrl: endpoint.Url,
            store: $"sqlite:{disk.Path}/rewind.db",
            extra: $"notifications: {{ channels: {{ hook: {{ webhook: {{ url: \"{receiver.Url}\", secret-env: {secretEnv} }}, events: [controller-fault, controller-recovered] }} }} }}");
        await Api.RollbackEndpointsTests.StableV1ThenV2Async(server);
        var reserve = Path.Combine(disk.Path, "rewind.db.reserve");
        await Eventually.WaitAsync(() => Task.FromResult(File.Exists(reserve) && new FileInfo(reserve).Length == 8 << 20 ? (object)true : null), TimeSpan.FromSeconds(60), "the reserve taken");

        var filler = disk.Fill(); // whatever else shares the disk takes every byte left
        var filled = Stopwatch.StartNew();
        // The disk watch may answer "store disk nearly full" first (no write has failed yet): the state sought is the next.
        var unhealthy = await Eventually.WaitAsync(
            async () => await server.Http.GetAsync("api/v1/health") is { StatusCode: HttpStatusCode.ServiceUnavailable } r && await r.Content.ReadAsStringAsync() is { } body && body.Contains("store not writable", StringComparison.Ordinal) ? body : null,
            TimeSpan.FromSeconds(60),
            "the health answer to say the store is not writable");
        unhealthy.ShouldContain("disk is full");
        File.Exists(reserve).ShouldBeFalse();
        (await server.Http.GetStringAsync("metrics")).ShouldContain("rewind_store_writable 0");

        // The page about the store, sent without it, in the fault's page-after time (10 s) and a watch tick.
        var page = await Eventually.WaitAsync(() => Task.FromResult(receiver.Deliveries.FirstOrDefault(d => d.Event == "controller-fault")), TimeSpan.FromSeconds(40), "the page about the full disk");
        var pagedAfter = filled.Elapsed;
        page.Body.GetProperty("fault").GetProperty("kind").GetString().ShouldBe("store-not-writable");
        page.Body.GetProperty("fault").GetProperty("message").GetString()!.ShouldContain("disk is full");

        // v2 breaks while the disk is full; the service answers as the release `current` points to (v1 is healthy).
        var broken = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource();
        var service = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                endpoint.Healthy = server.CurrentTarget.EndsWith(Path.Combine("releases", "v1"), StringComparison.Ordinal);
#pragma warning disable RS0030 // the pace of the health switch, not a wait of the test
                await Task.Delay(20);
#pragma warning restore RS0030
            }
        });
        var rollback = await Eventually.WaitAsync(async () => (await server.Client.GetRollbacksAsync()) is [{ Status: "succeeded" } r] ? r : null, TimeSpan.FromSeconds(60), "the rollback to succeed on a full disk");
        var rolledBackAfter = broken.Elapsed;
        await stop.CancelAsync();
        await service;
        rollback.ToVersion.ShouldBe("v1");
        server.CurrentTarget.ShouldEndWith(Path.Combine("releases", "v1"));
        (await server.Client.GetIncidentAsync(rollback.IncidentId!)).Status.ShouldBe("resolved"); // its timeline was written on the full disk

        File.Delete(filler); // room again: the reserve is taken back and samples are written again
        await Eventually.WaitAsync(async () => (await server.Http.GetAsync("api/v1/health")).IsSuccessStatusCode && File.Exists(reserve) ? (object)true : null, TimeSpan.FromSeconds(60), "the store writable again");
        Console.WriteLine($"disk full: paged {pagedAfter.TotalSeconds:0.0} s after the disk filled; broken release rolled back {rolledBackAfter.TotalSeconds:0.0} s after it broke (failing-for 300ms)");
    }

    [Fact]
    public async Task DiskNearlyFull_IsAFaultOfTheController_UntilThereIsRoomAgain_WhileWritesStillGoThrough()
    {
        await using var disk = await SmallDisk.MountAsync(megabytes: 32);
        await using var server = await ServerFixture.StartAsync(store: $"sqlite:{disk.Path}/rewind.db");
        await Eventually.WaitAsync(async () => (await server.Http.GetAsync("api/v1/health")).IsSuccessStatusCode ? (object)true : null, TimeSpan.FromSeconds(60), "the controller healthy (a loaded host may find it overloaded at first)");

        var filler = disk.Fill();
        using (var file = new FileStream(filler, FileMode.Open, FileAccess.Write))
        {
            file.SetLength(file.Length - (2 << 20)); // 2 MiB of 32 left: below a tenth, yet every write fits
        }

        var answer = await Eventually.WaitAsync(async () => await server.Http.GetAsync("api/v1/health") is { StatusCode: HttpStatusCode.ServiceUnavailable } r ? await r.Content.ReadAsStringAsync() : null, TimeSpan.FromSeconds(60), "the health answer to say the disk is nearly full");
        answer.ShouldContain("\"title\":\"store disk nearly full\"");
        answer.ShouldContain("\"kind\":\"store-disk-nearly-full\"");
        answer.ShouldContain("MiB free");
        (await server.Http.GetStringAsync("metrics")).ShouldContain("rewind_controller_fault{kind=\"store-disk-nearly-full\"} 1");
        (await server.Http.GetStringAsync("metrics")).ShouldContain("rewind_store_writable 1"); // a warning ahead of the full disk, not a refused write

        File.Delete(filler);
        await Eventually.WaitAsync(async () => (await server.Http.GetAsync("api/v1/health")).IsSuccessStatusCode ? (object)true : null, TimeSpan.FromSeconds(60), "the fault to clear once there is room");
    }

    /// <summary>A real tmpfs of a few megabytes, mounted for the test and unmounted after it (needs root, as the suite runs).</summary>
    private sealed class SmallDisk : IAsyncDisposable
    {
        private SmallDisk(string path) => Path = path;

        public string Path { get; }

        public static async Task<SmallDisk> MountAsync(int megabytes)
        {
            var path = Directory.CreateTempSubdirectory("rewind-small-disk-").FullName;
            var (code, error) = await RunAsync("mount", "-t", "tmpfs", "-o", $"size={megabytes}m", "tmpfs", path);
            code.ShouldBe(0, $"mounting a {megabytes} MiB tmpfs at {path} (the test needs root): {error}");
            return new SmallDisk(path);
        }

        /// <summary>Writes a file until the disk refuses more; returns its path.</summary>
        public string Fill()
        {
            var filler = System.IO.Path.Combine(Path, "filler");
            var block = new byte[64 * 1024];
            using var file = new FileStream(filler, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0); // unbuffered: nothing left to flush at the end
            try
            {
                while (true)
                {
                    file.Write(block);
                }
            }
            catch (IOException)
            {
                return filler; // ENOSPC: full
            }
        }

        public async ValueTask DisposeAsync()
        {
            await RunAsync("umount", "-l", Path);
            Directory.Delete(Path, recursive: true);
        }

        private static async Task<(int Code, string Error)> RunAsync(string file, params string[] args)
        {
            var start = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            foreach (var arg in args)
            {
                start.ArgumentList.Add(arg);
            }

            using var process = Process.Start(start)!;
            var error = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            return (process.ExitCode, error);
        }
    }
}
