using Rewind.Core.Configuration;
using Rewind.Core.Runbooks;

namespace Rewind.Runtime.Processes;

/// <summary>What became of a step's process group found recorded after a controller stopped without clearing it.</summary>
public enum LeftoverFinding
{
    /// <summary>It was still running and has been ended.</summary>
    Ended,

    /// <summary>It had ended already.</summary>
    Gone,

    /// <summary>It had ended, and its pid now belongs to another process, which is left alone.</summary>
    Reused,

    /// <summary>It was started under another boot id: another host (left alone) or before a reboot (gone with it).</summary>
    OtherBoot,

    /// <summary>Its leader has ended but processes remain in the group; without the leader's identity they are left alone.</summary>
    LeaderGone,

    /// <summary>Members were still running after SIGTERM and SIGKILL: the step must not run again over them.</summary>
    StillRunning,
}

/// <summary>One recorded group and what was found and done; <see cref="Describe"/> is the timeline's sentence.</summary>
public sealed record LeftoverOutcome(StepProcess Recorded, LeftoverFinding Finding, int Members)
{
    /// <summary>The record can be cleared: nothing of the step's own is left running where this controller can see it.</summary>
    public bool Cleared => Finding != LeftoverFinding.StillRunning;

    public string Describe()
    {
        var group = $"process group {Recorded.GroupId} ({Recorded.Executable}, started {Timestamps.Format(Recorded.StartedAt)} on {Recorded.Host})";
        return Finding switch
        {
            LeftoverFinding.Ended => $"ended the leftover {group}: {Members} process(es) still running from before; the group is gone",
            LeftoverFinding.Gone => $"the leftover {group} had ended already",
            LeftoverFinding.Reused => $"the leftover {group} had ended already; pid {Recorded.GroupId} now belongs to another process (a different start time), which is left alone",
            LeftoverFinding.OtherBoot => $"the leftover {group} was started under another boot id ({Recorded.BootId}): if {Recorded.Host} is this host it ended with the reboot, otherwise it cannot be seen from here; left alone",
            LeftoverFinding.LeaderGone => $"the leader of the leftover {group} has ended; {Members} process(es) still in its group are left alone, as without their leader they cannot be proved the step's",
            _ => $"the leftover {group} still has {Members} process(es) running after SIGTERM and SIGKILL",
        };
    }
}

/// <summary>Ends a step's process groups left by a controller that stopped without clearing them, after making sure each is the same process.</summary>
public static class LeftoverGroups
{
    /// <summary>
    /// Ends <paramref name="recorded"/> if its leader is the very process recorded (same boot id, same start time), and
    /// waits until the group is gone (at most twice <paramref name="grace"/>). A pid now used by another process is left alone.
    /// </summary>
    public static async Task<LeftoverOutcome> EndAsync(StepProcess recorded, TimeSpan grace, TimeProvider time, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(recorded);
        if (!string.Equals(recorded.BootId, ProcessGroups.BootId, StringComparison.Ordinal))
        {
            return new LeftoverOutcome(recorded, LeftoverFinding.OtherBoot, 0);
        }

        var leader = ProcessGroups.Read(recorded.GroupId);
        var members = ProcessGroups.Members(recorded.GroupId).Count;
        if (leader is null || leader.StartTime != recorded.LeaderStartTime)
        {
            // A pid is not given out again while a group of that id has members, so a different leader means ours is gone.
            var finding = leader is not null ? LeftoverFinding.Reused : members > 0 ? LeftoverFinding.LeaderGone : LeftoverFinding.Gone;
            return new LeftoverOutcome(recorded, finding, members);
        }

        if (members == 0)
        {
            return new LeftoverOutcome(recorded, LeftoverFinding.Gone, 0); // the leader is a zombie not yet reaped
        }

        return await ProcessGroups.EndAsync(recorded.GroupId, grace, time, cancellationToken)
            ? new LeftoverOutcome(recorded, LeftoverFinding.Ended, members)
            : new LeftoverOutcome(recorded, LeftoverFinding.StillRunning, ProcessGroups.Members(recorded.GroupId).Count);
    }
}
