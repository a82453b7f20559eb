namespace Rewind.Engine.Shares;

/// <summary>
/// The components this replica watches (probes) from one moment on; <see cref="Replaced"/> completes when a later set
/// takes its place, so a loop that runs the probes of this set knows when to start again.
/// </summary>
internal sealed class WatchSet(IReadOnlySet<string> components)
{
    private readonly TaskCompletionSource _replaced = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static WatchSet Empty { get; } = new(new HashSet<string>(StringComparer.Ordinal));

    public IReadOnlySet<string> Components { get; } = components;

    public Task Replaced => _replaced.Task;

    internal void Replace() => _replaced.TrySetResult();
}
