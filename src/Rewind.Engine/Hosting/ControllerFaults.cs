using Rewind.Core.Incidents;

namespace Rewind.Engine.Hosting;

/// <summary>The kinds of the controller's own faults, as the health answer, the metrics and the pages name them.</summary>
internal static class ControllerFaultKinds
{
    /// <summary>The store does not answer (PostgreSQL down or unreachable, the SQLite file unreadable).</summary>
    public const string StoreUnreachable = "store-unreachable";

    /// <summary>The store answers but refuses the controller's writes (its disk full, a read-only file system).</summary>
    public const string StoreNotWritable = "store-not-writable";

    /// <summary>The disk of a SQLite store has less than a tenth of its space free (the server's fault watch measures it).</summary>
    public const string StoreDiskNearlyFull = "store-disk-nearly-full";

    /// <summary>A rollback's run crashed <see cref="Runbooks.ExecutorCrashes.LoopAfter"/> times in a row and is being tried again.</summary>
    public const string ExecutorCrashLoop = "executor-crash-loop";

    /// <summary>With replicas: no replica has held the leader lease for longer than the lease; nothing acts.</summary>
    public const string NoLeader = "no-leader";

    /// <summary>
    /// The controller cannot run its probes on time: runs are not measured (skipped, or timed out while it was behind).
    /// Nothing is concluded about the components from those runs; the page says what to do about the controller.
    /// </summary>
    public const string ControllerOverloaded = "controller-overloaded";

    public static IReadOnlyList<string> All { get; } = [StoreUnreachable, StoreNotWritable, StoreDiskNearlyFull, ExecutorCrashLoop, NoLeader, ControllerOverloaded];
}

/// <summary>
/// One fault of the controller itself: what, how bad, since when, in words an operator acts on. Its title is the
/// problem title of the health answer, e.g. <c>store unavailable</c>.
/// </summary>
internal sealed record ControllerFault(string Kind, Severity Severity, string Title, string Message, DateTimeOffset Since);

/// <summary>
/// The controller's own faults as they stand now, held in memory (a fault of the store cannot be recorded in it). Raised
/// and cleared by their watchers; read by the health answer, the metrics, the dashboard and the pager. Thread-safe.
/// </summary>
internal sealed class ControllerFaults
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, ControllerFault> _active = new(StringComparer.Ordinal);

    /// <summary>Raises <paramref name="kind"/> (or updates the words of the fault going on, keeping when it began). True when it is new.</summary>
    public bool Raise(string kind, Severity severity, string title, string message, DateTimeOffset at)
    {
        lock (_gate)
        {
            var known = _active.TryGetValue(kind, out var before);
            _active[kind] = new ControllerFault(kind, severity, title, message, known ? before!.Since : at);
            return !known;
        }
    }

    /// <summary>Ends <paramref name="kind"/>; the fault that ended, or null when it was not raised.</summary>
    public ControllerFault? Clear(string kind)
    {
        lock (_gate)
        {
            return _active.Remove(kind, out var ended) ? ended : null;
        }
    }

    /// <summary>The faults raised now, the most severe first, then the oldest.</summary>
    public IReadOnlyList<ControllerFault> Active()
    {
        lock (_gate)
        {
            return [.. _active.Values.OrderBy(f => f.Severity).ThenBy(f => f.Since)];
        }
    }
}
