using System.Globalization;
using Microsoft.Extensions.Logging;
using Rewind.Core.Agents;
using Rewind.Core.Configuration;
using Rewind.Core.Storage;
using Rewind.Engine.Hosting;

namespace Rewind.Engine.Agents;

/// <summary>
/// Tells when a host's agent is lost and when it is back. Each look reads the agents' last polls and the hosts that
/// count (<see cref="AgentHosts"/>): an agent not heard from for <see cref="AgentLiveness.LostAfter"/> is one
/// <see cref="AgentNoticeKind.Lost"/> notice per loss, its next poll one <see cref="AgentNoticeKind.Back"/> note; a host
/// the config names whose agent never polled is one <see cref="AgentNoticeKind.NotPolled"/> notice. A lost agent is a
/// page, not a failed step: the host's steps wait up to their <c>unreachable.wait</c> on their own.
/// <para>
/// Nothing counts as lost before the watch has run <see cref="AgentLiveness.LostAfter"/>: the agents had no controller
/// to poll while none ran. What was told is held in memory, so a controller started again tells once more about an
/// agent still lost. The leader's loop calls it, one caller at a time.
/// </para>
/// </summary>
internal sealed class AgentLivenessWatch(IStore store, ConfigHolder config, TimeProvider time, ILogger<AgentLivenessWatch> logger)
{
    /// <summary>The controller page of an agent lost (<c>fault.kind</c>).</summary>
    public const string LostKind = "agent-lost";

    /// <summary>The controller page of a host named in the config whose agent has not polled (<c>fault.kind</c>).</summary>
    public const string NotPolledKind = "agent-not-polled";

    private readonly Dictionary<string, Watched> _watched = new(StringComparer.Ordinal);

    /// <summary>The notices due now; each loss and each return is told once.</summary>
    public async Task<IReadOnlyList<AgentNotice>> LookAsync(CancellationToken cancellationToken = default)
    {
        var agents = await store.GetAgentsAsync(cancellationToken);
        var now = time.GetUtcNow();
        var named = AgentHosts.Named(config.Current);
        var hosts = AgentHosts.Read(config.Current, agents, now);
        foreach (var gone in _watched.Keys.Except(hosts.Select(h => h.Host), StringComparer.Ordinal).ToList())
        {
            _watched.Remove(gone); // a host no longer named that never polled
        }

        var notices = new List<AgentNotice>();
        foreach (var host in hosts)
        {
            if (!_watched.TryGetValue(host.Host, out var watched))
            {
                _watched[host.Host] = watched = new Watched(now, null);
            }

            if (watched.Loss is { } loss)
            {
                if (host.Connected)
                {
                    _watched[host.Host] = watched with { Loss = null };
                    notices.Add(Back(host, loss, now));
                }
            }
            else if (!host.Connected && now - watched.Since >= AgentLiveness.LostAfter)
            {
                var notice = host.Agent is { } agent ? Lost(agent, named.GetValueOrDefault(host.Host), now) : NotPolled(host.Host, watched.Since);
                _watched[host.Host] = watched with { Loss = notice };
                notices.Add(notice);
            }
        }

        foreach (var notice in notices)
        {
            Log(notice);
        }

        return notices;
    }

    private static AgentNotice Lost(AgentRecord agent, IReadOnlyList<TimeSpan>? waits, DateTimeOffset now)
    {
        var ago = (long)(now - agent.SeenAt).TotalSeconds;
        var limit = waits is { Count: > 0 } ? $" ({string.Join(" to ", new[] { waits[0], waits[^1] }.Distinct().Select(Durations.Format))})" : "";
        var message = string.Create(CultureInfo.InvariantCulture,
            $"agent of {agent.Host} lost: last heard from at {Timestamps.Format(agent.SeenAt)} ({ago} s ago) from {agent.Address ?? "an unknown address"}, version {agent.Version}; steps for {agent.Host} wait up to their unreachable limit{limit}, then fail as unreachable");
        return new AgentNotice(AgentNoticeKind.Lost, LostKind, agent.Host, $"agent of {agent.Host} lost", message, AgentLiveness.LostSince(agent.SeenAt));
    }

    private static AgentNotice NotPolled(string host, DateTimeOffset since) =>
        new(AgentNoticeKind.NotPolled, NotPolledKind, host, $"no agent of {host}", $"no agent of {host} has polled yet: steps for {host} wait up to their unreachable limit, then fail as unreachable; start rewind agent on {host} with an agent token of {host}", since);

    private static AgentNotice Back(HostAgent host, AgentNotice loss, DateTimeOffset now)
    {
        var agent = host.Agent!; // connected: it has polled
        var gone = now - loss.Since;
        var message = loss.Kind == AgentNoticeKind.Lost
            ? $"agent of {host.Host} is back after {Durations.Format(Whole(gone))}: polling from {agent.Address ?? "an unknown address"}, version {agent.Version}"
            : $"agent of {host.Host} polls now, {Durations.Format(Whole(gone))} after the controller began waiting for it: from {agent.Address ?? "an unknown address"}, version {agent.Version}";
        return new AgentNotice(AgentNoticeKind.Back, loss.Fault, host.Host, $"agent of {host.Host} back", message, loss.Since, gone);
    }

    private static TimeSpan Whole(TimeSpan value) => TimeSpan.FromSeconds(Math.Round(value.TotalSeconds));

    private void Log(AgentNotice notice)
    {
        switch (notice.Kind)
        {
            case AgentNoticeKind.Lost:
                EngineLog.AgentLost(logger, notice.Host, notice.Since - AgentLiveness.LostAfter);
                break;
            case AgentNoticeKind.NotPolled:
                EngineLog.AgentNotPolled(logger, notice.Host);
                break;
            default:
                EngineLog.AgentBack(logger, notice.Host, Durations.Format(Whole(notice.Gone ?? TimeSpan.Zero)));
                break;
        }
    }

    /// <summary>A host as watched: since when, and the loss told about it while that lasts.</summary>
    private sealed record Watched(DateTimeOffset Since, AgentNotice? Loss);
}
