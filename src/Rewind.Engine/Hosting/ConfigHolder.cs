using Rewind.Core.Configuration;

namespace Rewind.Engine.Hosting;

/// <summary>
/// The config in force for this controller process: loaded and validated at start, replaced as a whole by a reload
/// (<see cref="ConfigReloader"/>). A reader sees the old or the new config, never a mix of the two, as long as it reads
/// <see cref="Current"/> once per piece of work and keeps what it got. A running rollback is pinned (<see cref="Pin"/>)
/// to the config it started under, so a reload never changes it half-way.
/// </summary>
internal sealed class ConfigHolder
{
    private readonly AsyncLocal<RewindConfig?> _pinned = new();
    private readonly Lock _gate = new();
    private ConfigVersion _version;

    public ConfigHolder(RewindConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        _version = new ConfigVersion(config, 1);
    }

    /// <summary>The config of this flow: the one pinned by a running rollback, else the one in force.</summary>
    public RewindConfig Current => _pinned.Value ?? Volatile.Read(ref _version).Config;

    /// <summary>The config in force (never a pinned one) and its number, 1 at start and one more per applied reload.</summary>
    public ConfigVersion Version => Volatile.Read(ref _version);

    /// <summary>What the last reload did, or null before the first one.</summary>
    public ConfigReloadReport? LastReload { get; private set; }

    public ComponentConfig? Component(string name) => Current.Components.GetValueOrDefault(name);

    /// <summary>
    /// Keeps <see cref="Current"/> at the config in force now for this flow and every task it starts, until disposed:
    /// what a rollback's steps read (probes to wait for, policies that must hold, a database's settings) stays the config
    /// its run started under.
    /// </summary>
    public IDisposable Pin()
    {
        var before = _pinned.Value;
        _pinned.Value = Current;
        return new Unpin(this, before);
    }

    /// <summary>Puts <paramref name="next"/> in force as a whole and tells whoever waits on the old version.</summary>
    public void Replace(RewindConfig next)
    {
        ConfigVersion old;
        lock (_gate)
        {
            old = _version;
            Volatile.Write(ref _version, new ConfigVersion(next, old.Number + 1));
        }

        old.Retire();
    }

    public void Report(ConfigReloadReport report) => LastReload = report;

    private sealed class Unpin(ConfigHolder holder, RewindConfig? before) : IDisposable
    {
        public void Dispose() => holder._pinned.Value = before;
    }
}

/// <summary>One config in force: its number, and a task that completes when a reload replaces it.</summary>
internal sealed class ConfigVersion(RewindConfig config, long number)
{
    private readonly TaskCompletionSource _replaced = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public RewindConfig Config { get; } = config;

    public long Number { get; } = number;

    /// <summary>Completes once a newer config is in force.</summary>
    public Task Replaced => _replaced.Task;

    internal void Retire() => _replaced.TrySetResult();
}
