using System.Diagnostics;
using Rewind.Bench.Pipeline;
using Rewind.Client;
using Rewind.Runtime.Releases;

namespace Rewind.Bench.Deploys;

/// <summary>
/// The deploy script of one component, run for each planned deploy: install the release, record it <c>--deploying</c>
/// (Rewind's pipeline only), switch <c>current</c>, <c>servicectl restart</c>, then record the deploy done 0-3 s later
/// (or never; the naive pipeline records it only then, the old habit). Then it waits until the controller has judged
/// the release (stable, bad or rolled back) or the judge window passed, before the next deploy. Refusals (409 during
/// a rollback) are outcomes, not failures.
/// </summary>
internal sealed class DeployPipeline(Fleet fleet, FleetMember member, BenchController controller, LoadGenerator load, DeploysSettings settings)
{
    public List<DeployRecord> Records { get; } = [];

    public async Task RunAsync(IReadOnlyList<PlannedDeploy> plan, CancellationToken cancellationToken)
    {
        foreach (var deploy in plan)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var record = new DeployRecord(deploy);
            Records.Add(record);
            await DeployAsync(record, cancellationToken);
            await JudgeAsync(record, cancellationToken);
            record.EndAt = DateTimeOffset.UtcNow;
            await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(500, 3000)), cancellationToken);
        }
    }

    private async Task DeployAsync(DeployRecord record, CancellationToken cancellationToken)
    {
        var deploy = record.Planned;
        fleet.Install(member, deploy.Version, deploy.Kind, deploy.StartupDelayMs);
        await WaitForRollbackAsync(record, cancellationToken);
        if (controller.Role == ControllerRole.Rewind)
        {
            // A rollback that started since answers 409: the pipeline waits for it and tries again, as a careful script would.
            for (var attempt = 0; attempt < 30 && await CallAsync(record, "record --deploying", () => controller.Client.RecordReleaseAsync(member.Component, new RecordReleaseRequest(deploy.Version, Deploying: true), cancellationToken)) == 409; attempt++)
            {
                await WaitForRollbackAsync(record, cancellationToken);
            }
        }

        load.WatchFor("sample service " + deploy.Version);
        record.RestartAt = DateTimeOffset.UtcNow;
        ReleaseDirectory.Switch(member.App, deploy.Version);
        var restart = await fleet.ServiceCtlAsync(member, "restart", cancellationToken);
        record.Outcomes.Add(restart.Succeeded ? "servicectl restart: ok" : $"servicectl restart: {restart.Describe()}");
        var watching = WatchStartAsync(record, cancellationToken);
        if (deploy.RecordAfter is { } after)
        {
            await Task.Delay(after, cancellationToken);
            record.RecordedAt = DateTimeOffset.UtcNow;
            await CallAsync(record, "record", () => controller.Client.RecordReleaseAsync(member.Component, new RecordReleaseRequest(deploy.Version), cancellationToken));
        }

        await watching;
    }

    /// <summary>
    /// Polls <c>/health</c> until the new release answers, then until it answers ok (a down release never does). On an
    /// overloaded host a start can take many seconds and a poll can time out, so the traffic's first answer counts too.
    /// </summary>
    private async Task WatchStartAsync(DeployRecord record, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var delay = TimeSpan.FromMilliseconds(record.Planned.StartupDelayMs);
        while (clock.Elapsed < settings.JudgeWindow && record.HealthyAt is null)
        {
            var (version, ok) = await ServiceHealth.ReadAsync(member, cancellationToken);
            var now = DateTimeOffset.UtcNow;
            var seen = load.MarkerSeenAt is { } marker && marker >= record.RestartAt ? marker : (DateTimeOffset?)null;
            if (version == record.Planned.Version || seen is not null)
            {
                record.UpAt ??= seen is { } first && first < now ? first : now;
            }

            if (version == record.Planned.Version && ok)
            {
                record.HealthyAt = now;
            }
            else if (record.Planned.Kind == ReleaseKind.Down && record.UpAt is { } up && now - up > delay + TimeSpan.FromSeconds(1))
            {
                return;
            }

            await Task.Delay(record.UpAt is null ? 10 : 50, cancellationToken);
        }
    }

    /// <summary>Waits until the controller has judged the release (stable, bad or rolled back, no rollback running) or the limit passed.</summary>
    private async Task JudgeAsync(DeployRecord record, CancellationToken cancellationToken)
    {
        var windowEnd = record.RestartAt + settings.JudgeLimit;
        while (true)
        {
            var running = await RollbackRunningAsync(cancellationToken);
            var state = await StateAsync(record.Planned.Version, cancellationToken);
            var now = DateTimeOffset.UtcNow;
            if (!running && (state is "stable" or "bad" or "rolled-back" || now >= windowEnd))
            {
                return;
            }

            if (now >= windowEnd + TimeSpan.FromSeconds(90))
            {
                record.Outcomes.Add("gave up waiting for a rollback to finish");
                return;
            }

            await Task.Delay(2000, cancellationToken);
        }
    }

    /// <summary>True while a rollback of the component is pending, running or awaiting approval (or the API does not answer).</summary>
    private async Task<bool> RollbackRunningAsync(CancellationToken cancellationToken)
    {
        try
        {
            return (await controller.RollbacksAsync(member.Component, cancellationToken))
                .Any(r => r.Status is "pending" or "running" or "awaiting");
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException)
        {
            return true;
        }
    }

    private async Task<string?> StateAsync(string version, CancellationToken cancellationToken)
    {
        try
        {
            return (await controller.Client.GetReleasesAsync(member.Component, cancellationToken)).FirstOrDefault(r => r.Version == version)?.State;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or RewindApiException)
        {
            return null;
        }
    }

    /// <summary>Before touching the deployment, the pipeline lets a running rollback of the component finish (at most a minute and a half).</summary>
    private async Task WaitForRollbackAsync(DeployRecord record, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        if (!await RollbackRunningAsync(cancellationToken))
        {
            return;
        }

        while (await RollbackRunningAsync(cancellationToken) && clock.Elapsed < TimeSpan.FromSeconds(90))
        {
            await Task.Delay(1000, cancellationToken);
        }

        record.Outcomes.Add(FormattableString.Invariant($"waited {clock.Elapsed.TotalSeconds:0} s for a rollback to finish"));
    }

    /// <summary>Calls the API and notes the answer; returns the status (200 or 201 as 0, a refusal's status, -1 for no answer).</summary>
    private static async Task<int> CallAsync(DeployRecord record, string what, Func<Task<ReleaseDto>> call)
    {
        try
        {
            var release = await call();
            record.Outcomes.Add($"{what}: ok ({release.State})");
            return 0;
        }
        catch (RewindApiException ex)
        {
            record.Outcomes.Add($"{what}: {ex.Status} {ex.Message}");
            return ex.Status;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            record.Outcomes.Add($"{what}: no answer ({ex.GetType().Name})");
            return -1;
        }
    }
}
