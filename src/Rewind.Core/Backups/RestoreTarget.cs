namespace Rewind.Core.Backups;

/// <summary>Where a point-in-time restore stops replaying WAL.</summary>
public abstract record RestoreTarget
{
    private protected RestoreTarget()
    {
    }

    /// <summary>Replay every commit up to <paramref name="at"/> (including one at exactly that instant unless <paramref name="inclusive"/> is false).</summary>
    public static RestoreTarget AtTime(DateTimeOffset at, bool inclusive = true) => new TimeTarget(at, inclusive);

    /// <summary>Replay up to a restore point made with <c>pg_create_restore_point(name)</c>.</summary>
    public static RestoreTarget AtRestorePoint(string name) => new RestorePointTarget(name);

    /// <summary>Stop as soon as the base backup is consistent: the state of the backup itself.</summary>
    public static RestoreTarget Immediate { get; } = new ImmediateTarget();

    /// <summary>Replay all archived WAL: the newest state the archive can give.</summary>
    public static RestoreTarget EndOfWal { get; } = new EndOfWalTarget();

    public abstract string Describe();

    public sealed override string ToString() => Describe();
}

public sealed record TimeTarget(DateTimeOffset At, bool Inclusive) : RestoreTarget
{
    public override string Describe() => $"time {RecoverySettings.FormatTime(At)}" + (Inclusive ? "" : " (exclusive)");
}

public sealed record RestorePointTarget(string Name) : RestoreTarget
{
    public override string Describe() => $"restore point '{Name}'";
}

public sealed record ImmediateTarget : RestoreTarget
{
    public override string Describe() => "end of the base backup (immediate)";
}

public sealed record EndOfWalTarget : RestoreTarget
{
    public override string Describe() => "end of archived WAL";
}
