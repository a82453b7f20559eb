using System.Diagnostics;
using Rewind.Bench.Pipeline;
using Rewind.Client;

namespace Rewind.Bench.Deploys;

/// <summary>
/// One run: both fleets on v01, both controllers, the traffic, v01 known good everywhere, then every component's
/// deploys in parallel (staggered) with the CPU hog cycling; at the end each controller's record is read back.
/// </summary>
internal sealed class DeploysRun(IReadOnlyDictionary<ControllerRole, Fleet> fleets, IReadOnlyList<IReadOnlyList<PlannedDeploy>> plans, DeploysSettings settings)
{
    private static readonly TimeSpan WarmupLimit = TimeSpan.FromSeconds(90);
    private IReadOnlyList<(DateTimeOffset From, DateTimeOffset? To)> _hogPeriods = [];

    public Dictionary<ControllerRole, List<DeployPipeline>> Pipelines { get; } = [];

    public Dictionary<ControllerRole, ControllerRecord> Records { get; } = [];

    public Dictionary<ControllerRole, (long Ok, long ServerErrors, long Failed, long Dropped)> Traffic { get; } = [];

    public IReadOnlyList<(DateTimeOffset From, DateTimeOffset? To)> HogPeriods => _hogPeriods;

    public double DeploySeconds { get; private set; }

    public IReadOnlyList<double> LoadAverages { get; private set; } = [];

    /// <summary>What the warm-up had to do to get every v01 known good (promotions by hand), for the report.</summary>
    public List<string> WarmUpNotes { get; } = [];

    public bool HogOn(DateTimeOffset at) => _hogPeriods.Any(p => p.From <= at && (p.To is not { } to || at <= to));

    public async Task RunAsync()
    {
        foreach (var (_, fleet) in fleets)
        {
            foreach (var member in fleet.Members)
            {
                fleet.Install(member, DeployPlan.FirstVersion, ReleaseKind.Healthy, 0);
                File.CreateSymbolicLink(Path.Combine(member.App, "current"), "releases/" + DeployPlan.FirstVersion);
            }
        }

        await Task.WhenAll(fleets.Values.SelectMany(f => f.Members.Select(m => f.ServiceCtlAsync(m, "start"))));
        await WaitAsync(async () => (await Task.WhenAll(fleets.Values.SelectMany(f => f.Members).Select(m => ServiceHealth.ReadAsync(m)))).All(h => h.Ok), "every service to answer on v01");
        var controllers = new Dictionary<ControllerRole, BenchController>();
        var loads = new List<LoadGenerator>();
        try
        {
            foreach (var (role, fleet) in fleets)
            {
                controllers[role] = await BenchController.StartAsync(role, fleet);
                foreach (var member in fleet.Members)
                {
                    await controllers[role].Client.RecordReleaseAsync(member.Component, new RecordReleaseRequest(DeployPlan.FirstVersion));
                }
            }

            var pipelines = fleets.ToDictionary(f => f.Key, f => f.Value.Members.Select(m =>
            {
                var load = new LoadGenerator(m.Home, DeploysSettings.RequestsPerSecond);
                loads.Add(load);
                return (Pipeline: new DeployPipeline(f.Value, m, controllers[f.Key], load, settings), Load: load);
            }).ToList());
            await WarmUpAsync(controllers.Values);

            Console.Error.WriteLine("v01 is stable on every component of both fleets; deploying");
            await DeployAllAsync(pipelines.ToDictionary(p => p.Key, p => p.Value.Select(x => x.Pipeline).ToList()));
            foreach (var (role, list) in pipelines)
            {
                Traffic[role] = (list.Sum(p => p.Load.Ok), list.Sum(p => p.Load.ServerErrors), list.Sum(p => p.Load.Failed), list.Sum(p => p.Load.Dropped));
            }

            foreach (var (role, controller) in controllers)
            {
                Records[role] = await ControllerRecord.ReadAsync(controller, fleets[role].Members.Select(m => m.Component));
            }
        }
        finally
        {
            foreach (var load in loads)
            {
                await load.DisposeAsync();
            }

            foreach (var controller in controllers.Values)
            {
                await controller.DisposeAsync();
            }
        }
    }

    /// <summary>Every component's pipeline of both fleets at once, staggered by a second, with the CPU hog cycling.</summary>
    private async Task DeployAllAsync(Dictionary<ControllerRole, List<DeployPipeline>> pipelines)
    {
        var hog = new CpuHog(fleets.Values.First().Root, settings.HogOn, settings.HogOff);
        try
        {
            var clock = Stopwatch.StartNew();
            using var limit = new CancellationTokenSource(settings.JudgeLimit * (settings.DeploysPerComponent + 2) * 2);
            var tasks = new List<Task>();
            foreach (var (role, list) in pipelines)
            {
                Pipelines[role] = list;
                tasks.AddRange(list.Select((p, i) => StaggeredAsync(p, plans[i], TimeSpan.FromSeconds(i), limit.Token)));
            }

            await Task.WhenAll(tasks);
            DeploySeconds = clock.Elapsed.TotalSeconds;
        }
        finally
        {
            await hog.DisposeAsync();
            _hogPeriods = hog.Periods;
            LoadAverages = hog.LoadAverages;
        }
    }

    private static async Task StaggeredAsync(DeployPipeline pipeline, IReadOnlyList<PlannedDeploy> plan, TimeSpan delay, CancellationToken cancellationToken)
    {
        await Task.Delay(delay, cancellationToken);
        await pipeline.RunAsync(plan, cancellationToken);
    }

    private static async Task<bool> AllStableAsync(IEnumerable<BenchController> controllers, string version)
    {
        foreach (var controller in controllers)
        {
            foreach (var component in (await controller.Client.GetComponentsAsync()).Select(c => c.Name))
            {
                if (!(await controller.Client.GetReleasesAsync(component)).Any(r => r.Version == version && r.State == "stable"))
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>
    /// v01 is the healthy release every deploy starts from. On a host this busy its bake can keep restarting, so after
    /// a while it is promoted by hand (with the reason on the record), as an operator would vouch for a baseline.
    /// </summary>
    private async Task WarmUpAsync(IReadOnlyCollection<BenchController> controllers)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(40) && !await AllStableAsync(controllers, DeployPlan.FirstVersion))
        {
            await Task.Delay(500);
        }

        foreach (var controller in controllers)
        {
            foreach (var member in fleets[controller.Role].Members)
            {
                if ((await controller.Client.GetReleasesAsync(member.Component)).Any(r => r.Version == DeployPlan.FirstVersion && r.State != "stable"))
                {
                    try
                    {
                        await controller.Client.PromoteAsync(member.Component, DeployPlan.FirstVersion, new PromoteRequest("benchmark baseline: the healthy release every deploy starts from"));
                        WarmUpNotes.Add($"{controller.Role} {member.Component}: v01 promoted by hand after {clock.Elapsed.TotalSeconds:0} s of warm-up");
                    }
                    catch (RewindApiException ex)
                    {
                        WarmUpNotes.Add($"{controller.Role} {member.Component}: v01 not stable, promotion refused: {ex.Message}");
                    }
                }
            }
        }

        try
        {
            await WaitAsync(() => AllStableAsync(controllers, DeployPlan.FirstVersion), "v01 to become stable everywhere");
        }
        catch (TimeoutException)
        {
            await DescribeAsync(controllers);
            throw;
        }
    }

    /// <summary>Why a warm-up did not end: each component's release and the timelines of the open incidents.</summary>
    private static async Task DescribeAsync(IEnumerable<BenchController> controllers)
    {
        foreach (var controller in controllers)
        {
            foreach (var component in await controller.Client.GetComponentsAsync())
            {
                Console.Error.WriteLine($"{controller.Role} {component.Name}: {component.CurrentVersion} {component.CurrentState}");
            }

            foreach (var incident in (await controller.IncidentsAsync()).Take(4))
            {
                foreach (var entry in (await controller.Client.GetIncidentAsync(incident.Id)).Timeline.Take(8))
                {
                    Console.Error.WriteLine($"  {controller.Role} {incident.Id} {incident.Component} {entry.At:HH:mm:ss.fff} {entry.Kind}: {entry.Message}");
                }
            }
        }
    }

    private static async Task WaitAsync(Func<Task<bool>> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > WarmupLimit)
            {
                throw new TimeoutException($"timed out waiting for {what}");
            }

            await Task.Delay(250);
        }
    }
}
