using System.Diagnostics;
using System.Text.Json;
using Rewind.Runtime.Tests.Support;
using Rewind.TestUtils;

namespace Rewind.Runtime.Tests.Samples;

/// <summary>The fake Firestore database and its gcloud-like export/import (<c>samples/fakes/fake-firestore</c>), run as real processes.</summary>
public sealed partial class FakeFirestoreTests : IDisposable
{
    private const string QuotaMessage = "RESOURCE_EXHAUSTED: too many concurrent operations; retry later\n";
    private static readonly string Script = Path.Combine(Repository.Root, "samples", "fakes", "fake-firestore");
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private readonly TempDirectory _state = new();

    public void Dispose()
    {
        StopWorkers();
        _state.Dispose();
    }

    [Fact]
    public async Task Documents_SetGetListCount_BehaveAsADatabase()
    {
        await SeedAsync();

        var get = await RunAsync("get", "users/alice");
        var missing = await RunAsync("get", "users/zed");
        var list = await RunAsync("list", "users");
        var count = await RunAsync("count", "--json");

        get.ShouldBe(new ScriptCall(0, "{\"name\": \"Alice\"}\n", ""));
        missing.ShouldBe(new ScriptCall(5, "", "NOT_FOUND: no document at users/zed\n"));
        list.ShouldBe(new ScriptCall(0, "alice\nbob\n", ""));
        JsonSerializer.Deserialize<Dictionary<string, int>>(count.Stdout).ShouldBe(new Dictionary<string, int>(StringComparer.Ordinal) { ["orders"] = 1, ["users"] = 2 });
    }

    [Fact]
    public async Task Import_OfAnExport_RestoresItsCollectionsAndLeavesTheOthersAlone()
    {
        await SeedAsync();
        var export = await RunAsync("export", "gs://backups/nightly", "--collection-ids", "users");
        await RunAsync("set", "users/carol", "{\"name\": \"Carol\"}");
        await RunAsync("delete", "users/alice");
        await RunAsync("set", "orders/o2", "{\"total\": 5}");

        var import = await RunAsync("import", "gs://backups/nightly");

        export.ExitCode.ShouldBe(0, export.Stderr);
        export.Stdout.ShouldStartWith("projects/fake/databases/(default)/operations/");
        File.Exists(_state.Combine("buckets", "backups", "nightly", "nightly.overall_export_metadata")).ShouldBeTrue();
        File.Exists(_state.Combine("buckets", "backups", "nightly", "all_namespaces", "kind_users", "output-0")).ShouldBeTrue();
        import.ExitCode.ShouldBe(0, import.Stderr);
        (await RunAsync("list", "users")).Stdout.ShouldBe("alice\nbob\n");
        (await RunAsync("list", "orders")).Stdout.ShouldBe("o1\no2\n");
    }

    [Fact]
    public async Task Export_Async_ReturnsAtOnceWithASnapshotAndDescribeFollowsItToTheEnd()
    {
        await SeedAsync();
        var started = Stopwatch.StartNew();

        var export = await RunAsync("export", "gs://backups/async", "--async", "--latency-ms", "3000");
        var returnedAfter = started.Elapsed;
        await RunAsync("set", "users/late", "{\"name\": \"Late\"}");
        var processing = await DescribeAsync(export.Stdout.Trim());
        var done = await Eventually.WaitAsync(async () => await DescribeAsync(export.Stdout.Trim()) is { Done: true } o ? o : null, Deadline, "the export to finish");

        export.ExitCode.ShouldBe(0, export.Stderr);
        returnedAfter.ShouldBeLessThan(TimeSpan.FromMilliseconds(3000));
        processing.Metadata.OperationState.ShouldBe("PROCESSING");
        done.Metadata.OperationState.ShouldBe("SUCCESSFUL");
        done.Metadata.EndTime.ShouldNotBeNull().ShouldBeGreaterThan(done.Metadata.StartTime);
        done.Metadata.ProgressDocuments.CompletedWork.ShouldBe(3);
        var list = await RunAsync("operations", "list", "--json");
        JsonSerializer.Deserialize<Operation[]>(list.Stdout, Json)!.ShouldHaveSingleItem().Name.ShouldBe(export.Stdout.Trim());
    }

    [Fact]
    public async Task Export_BeyondTheQuota_IsRejectedAtOnceUntilASlotIsFree()
    {
        await SeedAsync();
        await RunAsync("export", "gs://backups/base");
        var first = await RunAsync("export", "gs://backups/one", "--async", "--latency-ms", "4000", "--quota", "1");

        var second = await RunAsync("export", "gs://backups/two", "--async", "--quota", "1");
        var import = await RunAsync("import", "gs://backups/base", "--async", "--quota", "1");
        await Eventually.WaitAsync(async () => (await DescribeAsync(first.Stdout.Trim())).Done, Deadline, "the first export to finish");
        var third = await RunAsync("export", "gs://backups/three", "--quota", "1");

        first.ExitCode.ShouldBe(0, first.Stderr);
        second.ShouldBe(new ScriptCall(8, "", QuotaMessage));
        import.ShouldBe(new ScriptCall(8, "", QuotaMessage));
        third.ExitCode.ShouldBe(0, third.Stderr);
    }

    [Fact]
    public async Task Export_SameSeed_FailsTheSameOperations()
    {
        using var other = new TempDirectory();

        var runs = await Task.WhenAll(SeededExportsAsync(_state.Path), SeededExportsAsync(other.Path));

        runs[1].ShouldBe(runs[0]);
        runs[0].ShouldContain(0);
        runs[0].ShouldContain(14);
    }

    [Fact]
    public async Task Export_FailFractionOne_FailsUnavailableAndWritesNothing()
    {
        await SeedAsync();

        var export = await RunAsync("export", "gs://backups/failed", "--fail-fraction", "1");
        var import = await RunAsync("import", "gs://backups/failed");

        export.ExitCode.ShouldBe(14);
        export.Stderr.ShouldEndWith("ERROR: (gcloud.firestore.export) UNAVAILABLE: the service is currently unavailable, please retry\n");
        (await DescribeAsync(export.Stdout.Trim())).Error!.Status.ShouldBe("UNAVAILABLE");
        import.ShouldBe(new ScriptCall(5, "", "NOT_FOUND: no export at gs://backups/failed (failed.overall_export_metadata not found)\n"));
    }

    [Fact]
    public async Task Export_CancelledHalfWay_IsNeverImportable()
    {
        await SeedAsync();
        var export = await RunAsync("export", "gs://backups/half", "--async", "--latency-ms", "6000");
        await Eventually.WaitAsync(() => Task.FromResult(File.Exists(_state.Combine("buckets", "backups", "half", "all_namespaces", "all_kinds", "output-0"))), Deadline, "the export's output");

        var cancel = await RunAsync("operations", "cancel", export.Stdout.Trim());
        await RunAsync("delete", "users/alice");
        var import = await RunAsync("import", "gs://backups/half");

        cancel.ExitCode.ShouldBe(0, cancel.Stderr);
        (await DescribeAsync(export.Stdout.Trim())).Metadata.OperationState.ShouldBe("CANCELLED");
        import.ExitCode.ShouldBe(9);
        import.Stderr.ShouldBe("FAILED_PRECONDITION: the export at gs://backups/half is incomplete: half.overall_export_metadata is missing (the export did not finish)\n");
        (await RunAsync("get", "users/alice")).ExitCode.ShouldBe(5);
    }

    [Fact]
    public async Task Export_WorkerKilled_IsFailedAndNeverImportable()
    {
        await SeedAsync();
        var export = await RunAsync("export", "gs://backups/killed", "--async", "--latency-ms", "6000");
        await Eventually.WaitAsync(() => Task.FromResult(File.Exists(_state.Combine("buckets", "backups", "killed", "all_namespaces", "all_kinds", "output-0"))), Deadline, "the export's output");

        using (var worker = Process.GetProcessById(WorkerOf(export.Stdout.Trim())))
        {
            worker.Kill();
            await worker.WaitForExitAsync();
        }

        var described = await DescribeAsync(export.Stdout.Trim());
        var import = await RunAsync("import", "gs://backups/killed");

        described.Metadata.OperationState.ShouldBe("FAILED");
        described.Error!.Message.ShouldBe("INTERNAL: the operation's worker stopped before it finished");
        import.ExitCode.ShouldBe(9, import.Stderr);
    }

    [Fact]
    public async Task Export_CallerKilledWhileWaiting_StillFinishesAsTheOperationRunsOnItsOwn()
    {
        await SeedAsync();
        using var caller = Process.Start(ScriptCall.StartInfo(Script, ["export", "gs://backups/detached", "--latency-ms", "2000"], "FAKE_FIRESTORE_", Environment()))!;
        var name = (await caller.StandardOutput.ReadLineAsync())!;

        caller.Kill();
        await caller.WaitForExitAsync();
        var done = await Eventually.WaitAsync(async () => await DescribeAsync(name) is { Done: true } o ? o : null, Deadline, "the export to finish");

        done.Metadata.OperationState.ShouldBe("SUCCESSFUL");
        (await RunAsync("import", "gs://backups/detached")).ExitCode.ShouldBe(0);
    }

    [Theory]
    [InlineData("frobnicate")]
    [InlineData("set", "users", "{}")]
    [InlineData("set", "users/alice", "[1]")]
    [InlineData("list", "users/alice")]
    [InlineData("export", "s3://bucket/x")]
    [InlineData("export", "gs://b/x", "--quota", "many")]
    [InlineData("operations", "frobnicate")]
    public async Task BadUsage_ExitsTwoWithAUsageLine(params string[] args)
    {
        await RunAsync("init");

        var call = await RunAsync(args);

        call.ExitCode.ShouldBe(2);
        call.Stdout.ShouldBeEmpty();
        call.Stderr.ShouldStartWith("usage: fake-firestore --state DIR");
    }
}
