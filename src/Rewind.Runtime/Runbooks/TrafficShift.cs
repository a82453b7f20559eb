using Microsoft.Extensions.Logging;
using Rewind.Core.Configuration;
using Rewind.Core.Haproxy;
using Rewind.Core.Runbooks;
using Rewind.Runtime.Traffic;

namespace Rewind.Runtime.Runbooks;

/// <summary>One run of a <see cref="TrafficStep"/>: what is applied, what was seen, and the record of it.</summary>
internal sealed class TrafficShift(TrafficStep step, HaproxyRuntime haproxy, TimeProvider time, ILogger logger)
{
    private static readonly string[] PassingChecks = ["L4OK", "L6OK", "L7OK"];
    private readonly List<string> _record = [];

    /// <summary>The stage whose weights are (being) set: found on HAProxy or applied by this run; -1 before any.</summary>
    private int _applied = -1;

    /// <summary>What the run is doing, for a timeout's message.</summary>
    public string Doing { get; private set; } = "before HAProxy answered";

    public async Task<StepOutcome> RunAsync(CancellationToken cancellationToken)
    {
        var servers = await haproxy.GetServersAsync(step.Backend, cancellationToken);
        var missing = step.To.Concat(step.From).Where(name => !servers.Any(s => s.Name == name)).ToList();
        if (missing.Count > 0)
        {
            return Fail($"backend {step.Backend} has no server {string.Join(", ", missing)} (its servers: {string.Join(", ", servers.Select(s => s.Name))}); no weight moved");
        }

        _applied = FoundStage(servers);
        if (_applied >= 0)
        {
            _record.Add($"weights already at stage {Stage(_applied)}: carrying on from there");
        }

        await WaitUntilUpAsync(cancellationToken);
        for (var index = Math.Max(_applied, 0); index < step.Stages.Count; index++)
        {
            if (index != _applied)
            {
                Doing = $"while setting stage {Stage(index)}";
                _applied = index;
                await SetAsync(step.Stages[index], cancellationToken);
                var applied = step.DescribeStage(step.Stages[index]);
                TrafficStepRunner.LogStageApplied(logger, step.Backend, index + 1, applied);
            }

            Doing = $"during the {Durations.Format(step.Gate)} gate of stage {Stage(index)}";
            if (await GateAsync(cancellationToken) is { } notUp)
            {
                // Setting the weights back is not cut short by a shutdown: it is a few commands, each with its own timeout.
                return await FailAsync($"to servers not Up with a passing check {Doing}: {notUp}", CancellationToken.None);
            }

            _record.Add($"stage {Stage(index)}: every to server Up through the {Durations.Format(step.Gate)} gate");
        }

        return StepOutcome.Success($"{string.Join("; ", _record)}; all traffic of {step.Backend} on [{string.Join(", ", step.To)}]");
    }

    /// <summary>Fails the run; when weights were moved, first sets back the stage before the one applied.</summary>
    public async Task<StepOutcome> FailAsync(string reason, CancellationToken cancellationToken)
    {
        if (_applied < 0)
        {
            return Fail($"{reason}; no weight moved");
        }

        var back = step.Before(_applied);
        var weights = step.DescribeStage(back);
        try
        {
            await SetAsync(back, cancellationToken);
            TrafficStepRunner.LogSetBack(logger, step.Backend, weights);
            return Fail($"{reason}; weights set back to {weights}");
        }
        catch (HaproxyRuntimeException ex)
        {
            return Fail($"{reason}; setting the weights back to {weights} failed too: {ex.Message}");
        }
    }

    /// <summary>"blue-1 (Down, last check L4CON)"; a server without health checks has no last check.</summary>
    public static string Describe(HaproxyServer server) =>
        $"{server.Name} ({server.Status}{(server.CheckStatus is { } check ? ", last check " + check : "")})";

    private StepOutcome Fail(string reason)
    {
        TrafficStepRunner.LogShiftFailed(logger, step.Backend, reason);
        return StepOutcome.Failure(string.Join("; ", [.. _record, reason]));
    }

    private async Task WaitUntilUpAsync(CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        while (true)
        {
            if (await TryReadAsync(cancellationToken) is { } servers)
            {
                var notUp = NotUp(servers);
                if (notUp is null)
                {
                    _record.Add($"to servers Up in HAProxy{(time.GetElapsedTime(started) < TrafficStepRunner.PollInterval ? "" : " after " + Durations.Format(time.GetElapsedTime(started)))}");
                    return;
                }

                Doing = $"waiting for to servers to be Up with a passing check: {notUp}";
            }

            await Task.Delay(TrafficStepRunner.PollInterval, time, cancellationToken);
        }
    }

    /// <summary>Null when every to server stayed Up for the gate (and was seen Up at its end), else which were not.</summary>
    private async Task<string?> GateAsync(CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        while (true)
        {
            if (await TryReadAsync(cancellationToken) is { } servers)
            {
                if (NotUp(servers) is { } notUp)
                {
                    return notUp;
                }

                if (time.GetElapsedTime(started) >= step.Gate)
                {
                    return null;
                }
            }

            var left = step.Gate - time.GetElapsedTime(started);
            await Task.Delay(left > TimeSpan.Zero && left < TrafficStepRunner.PollInterval ? left : TrafficStepRunner.PollInterval, time, cancellationToken);
        }
    }

    /// <summary>The servers as HAProxy reports them, or null when it could not be asked this time (asked again at the next poll).</summary>
    private async Task<IReadOnlyList<HaproxyServer>?> TryReadAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await haproxy.GetServersAsync(step.Backend, cancellationToken);
        }
        catch (HaproxyRuntimeException ex) when (ex.IsTransient)
        {
            TrafficStepRunner.LogHaproxyUnanswered(logger, step.Backend, ex.Message);
            return null;
        }
    }

    /// <summary>To servers first, then from servers, each in the order given.</summary>
    private async Task SetAsync(TrafficStage stage, CancellationToken cancellationToken)
    {
        var weights = stage.Weights.ToDictionary(w => w.Server, w => w.Weight, StringComparer.Ordinal);
        foreach (var server in step.To.Concat(step.From))
        {
            await haproxy.SetWeightAsync(step.Backend, server, weights[server], cancellationToken);
        }
    }

    /// <summary>"blue-1 (Down, last check L4CON), blue-2 (not in the backend)", or null when every to server is Up.</summary>
    private string? NotUp(IReadOnlyList<HaproxyServer> servers)
    {
        var cold = step.To
            .Select(name => servers.FirstOrDefault(s => s.Name == name) is { } server ? (IsUp(server) ? null : Describe(server)) : $"{name} (not in the backend)")
            .OfType<string>()
            .ToList();
        return cold.Count == 0 ? null : string.Join(", ", cold);
    }

    private static bool IsUp(HaproxyServer server) =>
        server.Status == HaproxyServerStatus.Up && (server.CheckStatus is null || PassingChecks.Contains(server.CheckStatus, StringComparer.Ordinal));

    /// <summary>The last stage whose weights are exactly those on HAProxy, or -1.</summary>
    private int FoundStage(IReadOnlyList<HaproxyServer> servers)
    {
        var current = servers.ToDictionary(s => s.Name, s => s.Weight, StringComparer.Ordinal);
        for (var index = step.Stages.Count - 1; index >= 0; index--)
        {
            if (step.Stages[index].Weights.All(w => current.GetValueOrDefault(w.Server, -1) == w.Weight))
            {
                return index;
            }
        }

        return -1;
    }

    private string Stage(int index) => $"{index + 1}/{step.Stages.Count} {step.DescribeStage(step.Stages[index])}";
}
