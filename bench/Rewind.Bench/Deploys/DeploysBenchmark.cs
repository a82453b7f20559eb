using System.Diagnostics;
using System.Globalization;

namespace Rewind.Bench.Deploys;

/// <summary>
/// Decision quality during ordinary deploys while the controller's host is overloaded. Two twin fleets of the sample
/// service, one release-dir deployment per component, get the same planned deploys (healthy, 3× errors, slow, down;
/// some slow to start, some never recorded done) under steady traffic, while <c>stress-ng</c> saturates both cores
/// on and off. One fleet is watched by Rewind (deploy state, probe and regression policies, auto); the other by the
/// naive setup (the same probes, a plain error threshold, no deploy state, auto). Each is scored against what its
/// pipeline deployed. See docs/benchmarks.md.
/// </summary>
internal sealed class DeploysBenchmark(bool quick, string repository)
{
    private static readonly ControllerRole[] Roles = [ControllerRole.Rewind, ControllerRole.Naive];

    public async Task<int> RunAsync()
    {
        if (!File.Exists(CpuHog.Binary))
        {
            Console.Error.WriteLine($"{CpuHog.Binary} not found; bench/run deploys installs Debian's stress-ng");
            return 2;
        }

        // Two controllers, the traffic and the pipelines share this process on an overloaded host: a starved thread pool here would look like a slow service.
        ThreadPool.GetMinThreads(out var workers, out var ports);
        ThreadPool.SetMinThreads(Math.Max(workers, 64), Math.Max(ports, 64));
        var settings = quick ? DeploysSettings.Quick : DeploysSettings.Full;
        var clock = Stopwatch.StartNew();
        var root = Directory.CreateTempSubdirectory("rewind-bench-deploys-").FullName;
        var fleets = Roles.ToDictionary(r => r, r => new Fleet(repository, Directory.CreateDirectory(Path.Combine(root, r.ToString().ToLowerInvariant())).FullName, settings.Components));
        var plans = Enumerable.Range(0, settings.Components).Select(i => DeployPlan.For(i, settings.DeploysPerComponent)).ToList();
        Console.WriteLine(F($"deploys benchmark: {settings.Components} components x {settings.DeploysPerComponent} deploys, twin fleets for rewind and naive, {DeploysSettings.RequestsPerSecond:0} requests/s each, stress-ng --cpu 2 {settings.HogOn.TotalSeconds:0}s on / {settings.HogOff.TotalSeconds:0}s off"));
        var run = new DeploysRun(fleets, plans, settings);
        try
        {
            await run.RunAsync();
        }
        finally
        {
            await Task.WhenAll(fleets.Values.SelectMany(f => f.Members.Select(m => f.ServiceCtlAsync(m, "stop"))));
        }

        var verdicts = Roles.Select(role => Judge.Score(run.Records[role], [.. run.Pipelines[role].SelectMany(p => p.Records)], run.HogOn)).ToList();
        new DeploysReport(repository, settings, verdicts, run, clock.Elapsed).Write();
        Directory.Delete(root, recursive: true);
        return 0;
    }

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
