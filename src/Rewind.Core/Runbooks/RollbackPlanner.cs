using Rewind.Core.Configuration;
using Rewind.Core.Releases;

namespace Rewind.Core.Runbooks;

/// <summary>The result of asking for a plan: either the steps or the reason there can be none.</summary>
public sealed record PlanResult(Release? Target, IReadOnlyList<PlanStep> Steps, string? Refusal)
{
    /// <summary>The longest the whole plan may run (the component's <c>plan-timeout</c>); none when null.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>The policy whose plan this is, when it is not the component's.</summary>
    public string? Policy { get; init; }

    /// <summary>The schema change the rollback goes back over (<c>from -> to</c>), when the two releases recorded different schemas.</summary>
    public string? SchemaChange { get; init; }

    public bool IsRefused => Refusal is not null;
}

/// <summary>What a plan is asked for: a target (null: the last known good), emergency, whose plan, and whether a person allowed a schema change.</summary>
public sealed record PlanOptions(string? Version = null, bool Emergency = false, string? Policy = null, bool AllowSchemaChange = false);

/// <summary>
/// Builds a rollback plan: the component's declared <c>plan</c>, or its provider's default (switch, restart when
/// declared, wait healthy), with every plan-time placeholder filled. Refuses targets that are not known good.
/// </summary>
public static class RollbackPlanner
{
    /// <summary>
    /// The plan to roll <paramref name="componentName"/> back to <paramref name="requestedVersion"/> (or its last known
    /// good). With <paramref name="emergency"/> (a person, during an incident, when minutes matter) pauses are planned
    /// out, so a dry run shows it; targets, health verification and the lease stay as they are. Approval steps stay
    /// unless they say <c>skip-in-emergency</c>: a data-safety gate holds even in an emergency.
    /// </summary>
    public static PlanResult Plan(string componentName, ComponentConfig component, ComponentState? state, IReadOnlyList<Release> releases, string? requestedVersion, bool emergency = false) =>
        Plan(componentName, component, state, releases, new PlanOptions(requestedVersion, emergency));

    /// <summary>As above, with the plan declared on <paramref name="policy"/> when it declares one.</summary>
    public static PlanResult Plan(string componentName, ComponentConfig component, ComponentState? state, IReadOnlyList<Release> releases, string? requestedVersion, bool emergency, string? policy) =>
        Plan(componentName, component, state, releases, new PlanOptions(requestedVersion, emergency, policy));

    /// <summary>
    /// The plan for <paramref name="options"/>: the one declared on its policy when that policy declares one (the policy
    /// that started the rollback, or the one a person named), the component's otherwise. A target on another database
    /// schema than the current release is refused unless the plan migrates the schema down or the options allow it.
    /// </summary>
    public static PlanResult Plan(string componentName, ComponentConfig component, ComponentState? state, IReadOnlyList<Release> releases, PlanOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var policy = options.Policy;
        if (policy is not null && !component.Policies.ContainsKey(policy))
        {
            return Refuse($"{componentName} has no policy {policy}");
        }

        if (component.Provider.Postgres is not null)
        {
            return Refuse($"{componentName} is a PostgreSQL cluster: it goes back with a point-in-time restore (`rewind backup restore {componentName}`), which replaces data and is never a rollback's switch; inside a rollback of the application, a `restore` step in its plan does it after a snapshot and its own approval");
        }

        var current = state?.CurrentVersion;
        var (target, refusal) = ChooseTarget(componentName, releases, current, options.Version);
        if (target is null)
        {
            return Refuse(refusal!);
        }

        var policyPlan = policy is null ? null : component.Policies[policy].Plan;
        var declared = policyPlan ?? component.Plan;
        var from = releases.FirstOrDefault(r => string.Equals(r.Version, current, StringComparison.Ordinal));
        if (SchemaRefusal(componentName, declared, from, target, options.AllowSchemaChange) is { } schemaRefusal)
        {
            return Refuse(schemaRefusal);
        }

        var values = new PlanValues(componentName, target.Version, current, target.Schema, from?.Schema) { FromRecordedAt = from?.DeployStartedAt, TargetRecordedAt = target.DeployStartedAt };
        var unknown = new SortedSet<string>(StringComparer.Ordinal);
        List<PlanStep> steps = declared is { Count: > 0 }
            ? [.. declared.SelectMany(step => Resolve(step, component, values, options.Emergency, unknown))]
            : DefaultPlan(componentName, component, target.Version, current);
        steps.AddRange(component.Verify.Smoke.SelectMany(step => Resolve(step, component, values, options.Emergency, unknown)).Select(Smoke));
        if (unknown.Count > 0)
        {
            return Refuse(UnknownTimeRefusal(componentName, unknown, current, from, target));
        }

        if (component.Verify.HoldFor > TimeSpan.Zero)
        {
            steps.Add(new PolicyHoldStep(componentName, component.Verify.HoldFor, component.Verify.Timeout));
        }

        return new PlanResult(target, steps, null)
        {
            Timeout = component.PlanTimeout,
            Policy = policyPlan is null ? null : policy,
            SchemaChange = from?.Schema is { } fromSchema && target.Schema is { } toSchema && fromSchema != toSchema ? $"{fromSchema} -> {toSchema}" : null,
        };

        static PlanResult Refuse(string why) => new(null, [], why);
    }

    /// <summary>The requested release, or the last known good; or why neither can be the target.</summary>
    private static (Release? Target, string? Refusal) ChooseTarget(string componentName, IReadOnlyList<Release> releases, string? current, string? requestedVersion)
    {
        var target = requestedVersion is null
            ? LastKnownGood.Select(releases, current)
            : releases.FirstOrDefault(r => string.Equals(r.Version, requestedVersion, StringComparison.Ordinal));
        return target switch
        {
            null when requestedVersion is null => (null, $"{componentName} has no known-good release to roll back to (none other than {current ?? "the current one"} became stable)"),
            null => (null, $"release {requestedVersion} of {componentName} is not recorded"),
            { IsKnownGood: false } => (null, $"release {requestedVersion} of {componentName} is {ReleaseStateMachine.Describe(target.State)}, not known good; only stable releases are rollback targets"),
            _ when string.Equals(target.Version, current, StringComparison.Ordinal) => (null, $"{componentName} is already on {target.Version}"),
            _ => (target, null),
        };
    }

    /// <summary>
    /// Why the plan may not run the target against the schema in place: the releases recorded different schemas and the
    /// plan has no <c>migrate-down</c> or <c>restore</c> step. Null when they agree, one of them is not known, the plan migrates or restores the database, or a person
    /// allowed it (audited by the caller).
    /// </summary>
    private static string? SchemaRefusal(string componentName, List<PlanStepConfig>? plan, Release? from, Release target, bool allowed)
    {
        if (allowed || from?.Schema is not { } fromSchema || target.Schema is not { } toSchema || fromSchema == toSchema
            || plan?.Any(s => s.MigrateDown is not null || s.Restore is not null) == true)
        {
            return null;
        }

        return $"{componentName} {from.Version} runs on schema {fromSchema} and {target.Version} on {toSchema}: rolling the application back past a schema change "
            + $"would run {target.Version} against a schema it was not released with, and the plan does not handle the database (no migrate-down or restore step). "
            + $"Declare a migrate-down step or a restore step (after a snapshot), or, if {target.Version} works with schema {fromSchema}, allow it explicitly "
            + "(`rewind rollback --allow-schema-change`, audited)";
    }

    /// <summary>
    /// Why a plan whose steps need a deploy time that is not known is refused: a restore to a made-up time (or to the
    /// word <c>unknown</c>) could keep the damage or lose more than it must, so nothing runs and a person decides.
    /// </summary>
    private static string UnknownTimeRefusal(string componentName, IEnumerable<string> unknown, string? current, Release? from, Release target)
    {
        string Why(string placeholder) => placeholder == PlanTemplate.FromRecordedAt
            ? $"{{{{{placeholder}}}}} (when the release being left started deploying): " + (current is null
                ? $"{componentName} has no current release"
                : from is null
                    ? $"{current} is not a recorded release of {componentName}"
                    : $"{current} has no recorded deploy start (it was only seen serving, or recorded before Rewind kept deploy start times)")
            : $"{{{{{placeholder}}}}} (when {target.Version} started deploying): {target.Version} has no recorded deploy start (it was only seen serving, or recorded before Rewind kept deploy start times)";
        return $"the plan of {componentName} needs a time that is not known: {string.Join("; ", unknown.Select(Why))}. "
            + "A restore to a guessed time could keep the damage or lose more than it must, so nothing was run: find the time (the deploy pipeline's log) and restore by hand, "
            + $"then roll back with a plan that does not need it; deploys recorded with `rewind release record {componentName} VERSION --deploying` give the next plan the time";
    }

    private static PlanStep Smoke(PlanStep step) => step switch
    {
        CommandStep command => command with { Label = command.Label ?? "smoke" },
        OnHostStep on => on with { Step = Smoke(on.Step) },
        HttpStep http => http with { Label = http.Label ?? "smoke" },
        _ => step,
    };

    private static List<PlanStep> DefaultPlan(string name, ComponentConfig component, string target, string? current) =>
        [.. SwitchSteps(name, component, target, current, null), WaitHealthy(name, component, null)];

    /// <summary>One declared step with its plan-time placeholders filled; the deploy times it needs and that are not known go into <paramref name="unknown"/>.</summary>
    private static IEnumerable<PlanStep> Resolve(PlanStepConfig step, ComponentConfig component, PlanValues values, bool emergency, ISet<string> unknown)
    {
        var (name, target, current) = (values.Component, values.TargetVersion, values.FromVersion);
        string Fill(string text)
        {
            unknown.UnionWith(PlanTemplate.Unknown(text, values));
            return PlanTemplate.RenderPlan(text, values);
        }

        List<string> FillAll(IEnumerable<string> texts) => [.. texts.Select(Fill)];
        Dictionary<string, string> FillValues(Dictionary<string, string> values) => values.ToDictionary(e => e.Key, e => Fill(e.Value), values.Comparer);

        return step switch
        {
            { Switch: not null } => SwitchSteps(name, component, target, current, step.Name),
            { Command: { } command } => [OnHostStep.On(command.Host, new CommandStep(FillAll(command.Argv), FillValues(command.Env), command.Dir ?? ".", command.Timeout, command.AcceptExit, Label: step.Name) { Retry = StepRetry.Of(command.Retries, command.Backoff) }, component.Unreachable.Wait)],
            { Http: { } http } => [new HttpStep(http.Method.ToUpperInvariant(), Fill(http.Url), FillValues(http.Headers), http.Body is null ? null : Fill(http.Body), http.ExpectStatus, http.Timeout, step.Name) { Retry = StepRetry.Of(http.Retries, http.Backoff) }],
            { WaitHealthy: { } wait } => [WaitHealthy(name, component, wait.Timeout)],
            { CacheFlush: { Command: { } flush } } => [OnHostStep.On(flush.Host, new CommandStep(FillAll(flush.Argv), FillValues(flush.Env), flush.Dir ?? ".", flush.Timeout, flush.AcceptExit, Label: step.Name ?? "cache-flush") { Retry = StepRetry.Of(flush.Retries, flush.Backoff) }, component.Unreachable.Wait)],
            { CacheFlush: { Http: { } flush } } => [new HttpStep(flush.Method.ToUpperInvariant(), Fill(flush.Url), FillValues(flush.Headers), flush.Body is null ? null : Fill(flush.Body), flush.ExpectStatus, flush.Timeout, step.Name ?? "cache-flush") { Retry = StepRetry.Of(flush.Retries, flush.Backoff) }],
            { Notify: { } notify } => [new NotifyStep(Fill(notify.Message), step.Name)],
            { Parallel: { } group } => [new ParallelStep([.. group.SelectMany(s => Resolve(s, component, values, emergency, unknown))], step.Name)],
            { Snapshot: { } snapshot } => [OnHostStep.On(snapshot.Host, new SnapshotStep(snapshot.Component, snapshot.Kind, step.Name), snapshot.UnreachableWait)],
            { Restore: { Approval: true } restore } => [DatabaseRestoreStep.Gate(restore.Component, Fill(restore.RestorePoint), step.Name), OnHostStep.On(restore.Host, new DatabaseRestoreStep(restore.Component, Fill(restore.RestorePoint), step.Name), restore.UnreachableWait)],
            { Restore: { } restore } => [OnHostStep.On(restore.Host, new DatabaseRestoreStep(restore.Component, Fill(restore.RestorePoint), step.Name), restore.UnreachableWait)],
            { MigrateDown: { } migrate } => [OnHostStep.On(migrate.Host, new CommandStep(FillAll(migrate.Argv), FillValues(migrate.Env), migrate.Dir ?? ".", migrate.Timeout, migrate.AcceptExit, Label: step.Name ?? "migrate-down") { Retry = StepRetry.Of(migrate.Retries, migrate.Backoff) }, component.Unreachable.Wait)],
            { Batch: { } batch } => [new BatchStep(
                new BatchMembers(batch.Members.List, batch.Members.File, batch.Members.Command is { } list ? FillAll(list) : null),
                FillAll(batch.Argv),
                FillValues(batch.Env),
                batch.Dir ?? ".",
                batch.BatchSize,
                batch.Concurrency,
                emergency ? TimeSpan.Zero : batch.Delay,
                batch.CallsPerMinute,
                batch.Retries,
                batch.Backoff,
                batch.QuotaErrors,
                batch.MaxFailed,
                batch.Timeout,
                batch.StepTimeout,
                batch.AcceptExit,
                step.Name)],
            { Approval: { } gate } => emergency && gate.SkipInEmergency ? [] : [new ApprovalStep(Fill(gate.Message), gate.AnyOf, gate.AllOf, gate.TwoPerson, gate.SecondFactor, gate.DecideWithin, gate.OnTimeout, step.Name)],
            { Traffic: { } traffic } => [TrafficStep.Resolve(traffic, step.Name)],
            { Maintenance: { } maintenance } => [MaintenanceStep.Resolve(maintenance, step.Name)],
            _ => throw new InvalidOperationException($"plan step of {name} has no kind; the config validator should have refused it"),
        };
    }

    /// <summary>
    /// The provider's switch (and restart or reload) to <paramref name="version"/>, as a rollback runs it: what a drill
    /// runs to deploy its designated bad release. No target checks: the caller decides what may be deployed.
    /// </summary>
    public static IReadOnlyList<PlanStep> DeploySteps(string name, ComponentConfig component, string version, string? current)
    {
        ArgumentNullException.ThrowIfNull(component);
        return [.. SwitchSteps(name, component, version, current, "drill deploy")];
    }

    /// <summary>The provider's switch (and restart or reload): run by the host's agent when the component names a host, by each host's agent for a fleet.</summary>
    private static IEnumerable<PlanStep> SwitchSteps(string name, ComponentConfig component, string target, string? current, string? label) =>
        component.Hosts is { } hosts
            ? [new FleetStep([.. hosts.Select(host => new FleetHost(host, [.. ProviderSteps(name, component, target, current, label).Select(step => ForHost(step, host))]))], component.Fleet.Concurrency, component.Fleet.MaxFailed, component.Unreachable.Wait, component.Unreachable.Then)]
            : ProviderSteps(name, component, target, current, label).Select(step => OnHostStep.On(component.Host, step, component.Unreachable.Wait));

    /// <summary>
    /// A fleet host's step: <c>{{host}}</c> in a release directory's path and its restart argv, or in a files provider's
    /// paths, store and reload argv, is that host's name.
    /// </summary>
    private static PlanStep ForHost(PlanStep step, string host)
    {
        string Fill(string text) => FillHost(text, host);
        return step switch
        {
            SwitchStep switchStep => switchStep with { Root = Fill(switchStep.Root) },
            RestartStep restart => restart with { Argv = [.. restart.Argv.Select(Fill)], WorkingDirectory = Fill(restart.WorkingDirectory) },
            FilesRestoreStep files => files with { Store = Fill(files.Store), Paths = [.. files.Paths.Select(Fill)] },
            _ => step,
        };
    }

    /// <summary><paramref name="text"/> with <see cref="FleetHostPlaceholder"/> replaced by <paramref name="host"/>.</summary>
    public static string FillHost(string text, string host)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Replace(FleetHostPlaceholder, host, StringComparison.Ordinal);
    }

    /// <summary>Filled with each host's name in a fleet's release-directory path and restart argv, and in its files provider's paths, store and reload argv.</summary>
    public const string FleetHostPlaceholder = "{{host}}";

    private static IEnumerable<PlanStep> ProviderSteps(string name, ComponentConfig component, string target, string? current, string? label)
    {
        if (component.Provider.ReleaseDir is { } releaseDir)
        {
            yield return new SwitchStep(releaseDir.Path, target, current);
            if (releaseDir.Restart.Count > 0)
            {
                yield return new RestartStep(releaseDir.Restart, releaseDir.Path, releaseDir.RestartTimeout);
            }
        }
        else if (component.Provider.Files is { } files)
        {
            yield return new FilesRestoreStep(files.Store, files.Paths, target, current);
            if (files.Reload.Count > 0)
            {
                yield return new RestartStep(files.Reload, files.Store, files.ReloadTimeout);
            }
        }
        else if (component.Provider.Http is { } http)
        {
            string Fill(string text) => PlanTemplate.RenderPlan(text, name, target, current);
            yield return new HttpStep(http.Method.ToUpperInvariant(), Fill(http.Url), http.Headers.ToDictionary(h => h.Key, h => Fill(h.Value), http.Headers.Comparer), http.Body is null ? null : Fill(http.Body), http.ExpectStatus, http.Timeout, label)
            {
                Switches = true,
                Retry = StepRetry.Of(http.Retries, http.Backoff),
            };
        }
        else if (component.Provider.Command is { } command)
        {
            yield return new CommandStep(
                [.. command.Switch.Select(a => PlanTemplate.RenderPlan(a, name, target, current))],
                command.Env.ToDictionary(e => e.Key, e => PlanTemplate.RenderPlan(e.Value, name, target, current), StringComparer.Ordinal),
                command.Dir ?? ".",
                command.Timeout,
                command.AcceptExit,
                Switches: true,
                Label: label);
        }
        else
        {
            throw new InvalidOperationException($"component {name} has no provider; the config validator should have refused it");
        }
    }

    private static WaitHealthyStep WaitHealthy(string name, ComponentConfig component, TimeSpan? timeout) =>
        new(name, [.. component.Probes.Keys], component.HealthySuccesses, timeout ?? component.HealthyTimeout, new Dictionary<string, ProbeConfig>(component.Probes, StringComparer.Ordinal));
}
