namespace Rewind.Core.Runbooks;

/// <summary>
/// A process group a step started, recorded while it runs so that a controller killed mid-step can end it before the
/// step runs again. The leader's start time and the boot id tell the same process from a later one given the same id.
/// </summary>
/// <param name="GroupId">The process group id: the leader's pid (each step process leads its own session and group).</param>
/// <param name="LeaderStartTime">The leader's start time in clock ticks after boot (<c>/proc/PID/stat</c> field 22).</param>
/// <param name="BootId">The kernel's boot id (<c>/proc/sys/kernel/random/boot_id</c>) when it started: another boot or host means another process.</param>
/// <param name="Host">The host name of the controller that started it, for the record.</param>
/// <param name="Executable">The program it runs (secrets replaced), for the record.</param>
/// <param name="StartedAt">When it started.</param>
public sealed record StepProcess(int GroupId, long LeaderStartTime, string BootId, string Host, string Executable, DateTimeOffset StartedAt);
