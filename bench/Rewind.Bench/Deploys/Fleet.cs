using System.Globalization;
using System.Text.Json;
using Rewind.Runtime.Processes;
using Rewind.Runtime.Samples;

namespace Rewind.Bench.Deploys;

/// <summary>One release-dir deployment of the sample service per component, each on its own loopback port.</summary>
internal sealed class Fleet
{
    private readonly string _repository;

    public Fleet(string repository, string root, int components)
    {
        _repository = repository;
        Root = root;
        Members = [.. Enumerable.Range(0, components).Select(i => new FleetMember(DeployPlan.ComponentName(i), Path.Combine(root, DeployPlan.ComponentName(i)), SampleRelease.FreeLoopbackPort()))];
    }

    public string Root { get; }

    public IReadOnlyList<FleetMember> Members { get; }

    public string ServiceCtl => Path.Combine(_repository, "samples", "servicectl");

    public FleetMember this[string component] => Members.Single(m => m.Component == component);

    /// <summary>Installs <c>releases/VERSION</c> with a release.json saying what the release does.</summary>
    public void Install(FleetMember member, string version, ReleaseKind kind, int startupDelayMs)
    {
        var build = Path.Combine(_repository, ".artifacts", "bin", "SampleService", "release");
        var target = SampleRelease.Install(build, member.App, version, broken: kind == ReleaseKind.Down, startupDelayMs);
        var release = new
        {
            version,
            fault = kind == ReleaseKind.Down ? "broken" : "none",
            startupDelayMs,
            errorFraction = kind == ReleaseKind.Errors ? DeploysSettings.BadErrorFraction : DeploysSettings.BaselineErrorFraction,
            addedLatencyMs = kind == ReleaseKind.Slow ? DeploysSettings.SlowAddedLatencyMs : 0,
        };
        File.WriteAllText(Path.Combine(target, "release.json"), JsonSerializer.Serialize(release));
    }

    public async Task<ProcessResult> ServiceCtlAsync(FleetMember member, string verb, CancellationToken cancellationToken = default) =>
        await new ProcessRunner().RunAsync(
            new ProcessRequest([ServiceCtl, verb, member.App, member.Port.ToString(CultureInfo.InvariantCulture)], Root, TimeSpan.FromSeconds(30)),
            cancellationToken);
}

/// <summary>A component's deployment: its directory (releases/ and current) and the port its service listens on.</summary>
internal sealed record FleetMember(string Component, string App, int Port)
{
    public Uri Home => new(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{Port}/"));
}
