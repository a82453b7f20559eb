using Rewind.Core.Configuration;
using Rewind.Core.Runbooks;
using Rewind.Runtime.Traffic;

namespace Rewind.Runtime.Runbooks;

/// <summary>
/// Runs <see cref="MaintenanceStep"/>: forces the state on each server not already in it, then reads the servers back and
/// succeeds only when HAProxy reports every one in that state. Run again, it changes nothing.
/// </summary>
public sealed class MaintenanceStepRunner(TimeProvider? timeProvider = null) : IStepRunner
{
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    public string Kind => MaintenanceStep.KindName;

    public async Task<StepOutcome> RunAsync(PlanStep planStep, CancellationToken cancellationToken = default)
    {
        var planned = StepRunnerGuard.Expect<MaintenanceStep>(planStep);
        var haproxy = new HaproxyRuntime(planned.Socket, timeProvider: _time);
        var state = planned.State.ToString().ToLowerInvariant();
        var set = new List<string>();
        try
        {
            var before = await haproxy.GetServersAsync(planned.Backend, cancellationToken);
            var missing = planned.Servers.Where(name => !before.Any(s => s.Name == name)).ToList();
            if (missing.Count > 0)
            {
                return StepOutcome.Failure($"backend {planned.Backend} has no server {string.Join(", ", missing)} (its servers: {string.Join(", ", before.Select(s => s.Name))}); nothing set");
            }

            foreach (var server in planned.Servers.Where(name => !IsIn(before.Single(s => s.Name == name), planned.State)))
            {
                await haproxy.SetStateAsync(planned.Backend, server, Mode(planned.State), cancellationToken);
                set.Add(server);
            }

            var after = (await haproxy.GetServersAsync(planned.Backend, cancellationToken)).Where(s => planned.Servers.Contains(s.Name, StringComparer.Ordinal)).ToList();
            var described = string.Join(", ", after.Select(TrafficShift.Describe));
            var done = set.Count == 0 ? $"every server already {state}" : $"set {state} on [{string.Join(", ", set)}]";
            var wrong = after.Where(s => !IsIn(s, planned.State)).Select(s => s.Name).ToList();
            return wrong.Count == 0
                ? StepOutcome.Success($"{done}; HAProxy reports {described}")
                : StepOutcome.Failure($"{done}; but HAProxy reports [{string.Join(", ", wrong)}] not {state}: {described}");
        }
        catch (HaproxyRuntimeException ex)
        {
            return StepOutcome.Failure((set.Count == 0 ? "" : $"set {state} on [{string.Join(", ", set)}]; then ") + ex.Message);
        }
    }

    /// <summary>The forced administrative flags, not the status: a ready server may still be down on its checks.</summary>
    private static bool IsIn(HaproxyServer server, MaintenanceState state) => state switch
    {
        MaintenanceState.Maint => server.Admin.HasFlag(HaproxyAdminState.ForcedMaint),
        MaintenanceState.Drain => server.Admin.HasFlag(HaproxyAdminState.ForcedDrain) && !server.Admin.HasFlag(HaproxyAdminState.ForcedMaint),
        _ => !server.Admin.HasFlag(HaproxyAdminState.ForcedMaint) && !server.Admin.HasFlag(HaproxyAdminState.ForcedDrain),
    };

    private static HaproxyAdminMode Mode(MaintenanceState state) => state switch
    {
        MaintenanceState.Maint => HaproxyAdminMode.Maint,
        MaintenanceState.Drain => HaproxyAdminMode.Drain,
        _ => HaproxyAdminMode.Ready,
    };
}
