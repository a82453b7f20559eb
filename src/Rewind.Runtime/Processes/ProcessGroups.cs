using System.Globalization;
using System.Runtime.InteropServices;

namespace Rewind.Runtime.Processes;

/// <summary>
/// Process groups on Linux, read from <c>/proc</c> and signalled with kill(2). Every process the runner starts leads its
/// own session and group (its group id is its pid), so a step's background children are ended with it.
/// </summary>
public static partial class ProcessGroups
{
    /// <summary>util-linux's <c>setsid</c> (Essential in Debian): run not as a group leader, it calls setsid(2) and execs the command in place.</summary>
    public const string Setsid = "/usr/bin/setsid";

    private const int SigTerm = 15;
    private const int SigKill = 9;
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(50);
    private static readonly Lazy<string> Boot = new(() => File.ReadAllText("/proc/sys/kernel/random/boot_id").Trim());

    /// <summary>This boot of this kernel: pids and start times compare only within one.</summary>
    public static string BootId => Boot.Value;

    /// <summary>What <c>/proc/PID/stat</c> says of a process, or <see langword="null"/> when there is none.</summary>
    public static ProcessStat? Read(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        // The command name (field 2) is in parentheses and may hold spaces or parentheses itself: count from the last ')'.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return new ProcessStat(
            pid,
            fields[0][0],
            int.Parse(fields[2], CultureInfo.InvariantCulture),
            long.Parse(fields[19], CultureInfo.InvariantCulture));
    }

    /// <summary>The live processes (zombies do not count) whose group is <paramref name="groupId"/>.</summary>
    public static IReadOnlyList<int> Members(int groupId)
    {
        var members = new List<int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && Read(pid) is { IsLive: true } stat && stat.GroupId == groupId)
            {
                members.Add(pid);
            }
        }

        return members;
    }

    /// <summary>
    /// Ends a group: SIGTERM to every member, SIGKILL to whatever is left after <paramref name="grace"/>, then waits (at
    /// most <paramref name="grace"/> again) until no member is left. The leader is also signalled by its pid, in case it
    /// has not yet made its group. True when the group is gone.
    /// </summary>
    public static async Task<bool> EndAsync(int groupId, TimeSpan grace, TimeProvider time, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(time);
        Signal(groupId, SigTerm);
        if (await GoneWithinAsync(groupId, grace, time, cancellationToken))
        {
            return true;
        }

        Signal(groupId, SigKill);
        return await GoneWithinAsync(groupId, grace, time, cancellationToken);
    }

    /// <summary>
    /// Sends <paramref name="signalName"/> (TERM, KILL, INT, HUP, QUIT, STOP) to one process; null when sent, else why
    /// not (no such process, not permitted).
    /// </summary>
    public static string? SignalProcess(int pid, string signalName)
    {
        int? number = signalName switch { "HUP" => 1, "INT" => 2, "QUIT" => 3, "KILL" => SigKill, "TERM" => SigTerm, "STOP" => 19, _ => null };
        if (number is null || pid <= 1)
        {
            return number is null ? $"unknown signal {signalName}" : $"refusing to signal process {pid}";
        }

        return Kill(pid, number.Value) == 0 ? null : $"kill({pid}, SIG{signalName}) failed: {new System.ComponentModel.Win32Exception(Marshal.GetLastPInvokeError()).Message}";
    }

    private static void Signal(int groupId, int signal)
    {
        _ = Kill(-groupId, signal); // ESRCH: nobody left in the group
        _ = Kill(groupId, signal);
    }

    private static async Task<bool> GoneWithinAsync(int groupId, TimeSpan limit, TimeProvider time, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        while (Members(groupId).Count > 0)
        {
            if (time.GetElapsedTime(started) >= limit)
            {
                return false;
            }

            await Task.Delay(Poll, time, cancellationToken);
        }

        return true;
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}

/// <summary>One process as <c>/proc/PID/stat</c> describes it.</summary>
/// <param name="Pid">Its id.</param>
/// <param name="State">Field 3: <c>R</c>, <c>S</c>, <c>D</c>, … ; <c>Z</c> for a zombie.</param>
/// <param name="GroupId">Field 5: its process group.</param>
/// <param name="StartTime">Field 22: when it started, in clock ticks after boot; with the boot id, it names one process.</param>
public sealed record ProcessStat(int Pid, char State, int GroupId, long StartTime)
{
    /// <summary>Still running: neither a zombie awaiting its reaper nor dead.</summary>
    public bool IsLive => State is not ('Z' or 'X' or 'x');
}
