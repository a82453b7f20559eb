using Rewind.Core.Configuration;

namespace Rewind.Core.Storage;

/// <summary>
/// Whether the store takes writes, from the outcome of the controller's own writes (samples, traffic): a store that
/// answers reads but refuses writes (its disk full, a read-only file system, a lost primary) is a fault of the
/// controller, not of what it watches. Decisions go on from memory meanwhile; this says so to the health answer, the
/// metrics and the log. Thread-safe; time comes from the caller.
/// </summary>
public sealed class StoreHealth
{
    /// <summary>How often a failure streak is logged again while it lasts.</summary>
    public static readonly TimeSpan LogEvery = TimeSpan.FromMinutes(1);

    private readonly Lock _gate = new();
    private DateTimeOffset? _failingSince;
    private DateTimeOffset? _loggedAt;
    private string? _lastError;
    private string? _lastWhat;
    private long _failures;
    private DateTimeOffset? _sparingSince;

    /// <summary>
    /// True while the store's disk is full: samples and traffic totals are kept in memory only, so that the space left
    /// (the released reserve) goes to what must be written ahead of acting.
    /// </summary>
    public bool Sparing
    {
        get
        {
            lock (_gate)
            {
                return _sparingSince is not null;
            }
        }
    }

    /// <summary>The disk is full: spare it from now on. True when this starts the sparing.</summary>
    public bool StartSparing(DateTimeOffset at)
    {
        lock (_gate)
        {
            if (_sparingSince is not null)
            {
                return false;
            }

            _sparingSince = at;
            return true;
        }
    }

    /// <summary>The disk has room again. True when this ends the sparing.</summary>
    public bool EndSparing()
    {
        lock (_gate)
        {
            var ended = _sparingSince is not null;
            _sparingSince = null;
            return ended;
        }
    }

    /// <summary>
    /// Records a failed write of <paramref name="what"/>. True when it should be logged: the first of a streak, then once
    /// every <see cref="LogEvery"/>, so a full disk does not turn every sample into a stack trace.
    /// </summary>
    public bool RecordFailure(string what, Exception error, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(error);
        lock (_gate)
        {
            _failingSince ??= at;
            _failures++;
            (_lastError, _lastWhat) = (error.Message, what);
            if (_loggedAt is { } logged && at - logged < LogEvery)
            {
                return false;
            }

            _loggedAt = at;
            return true;
        }
    }

    /// <summary>Records a write that went through. True when it ends a failure streak (worth a log line).</summary>
    public bool RecordSuccess()
    {
        lock (_gate)
        {
            var ended = _failingSince is not null;
            (_failingSince, _loggedAt, _lastError, _lastWhat, _failures) = (null, null, null, null, 0);
            return ended;
        }
    }

    public StoreWriteStatus Status()
    {
        lock (_gate)
        {
            return new StoreWriteStatus(_failingSince is null && _sparingSince is null, _failingSince ?? _sparingSince, _failures, _lastWhat, _lastError) { DiskFull = _sparingSince is not null };
        }
    }
}

/// <summary>The store's write health: writable, or failing since a moment with the count and the last error.</summary>
public sealed record StoreWriteStatus(bool Writable, DateTimeOffset? FailingSince, long Failures, string? LastWhat, string? LastError)
{
    /// <summary>The store's disk filled up: samples and traffic totals are kept in memory only.</summary>
    public bool DiskFull { get; init; }

    /// <summary>"writes of samples fail since 2026-11-22 03:12:09.042Z (42 in a row): disk I/O error; decisions go on from memory".</summary>
    public string? Describe() => Writable ? null
        : DiskFull ? FormattableString.Invariant($"the store's disk is full since {Timestamps.Format(FailingSince)}: its reserve is released for incidents, decisions and rollbacks, and samples and traffic totals are kept in memory only until there is room again")
        : FormattableString.Invariant($"writes of {LastWhat} fail since {Timestamps.Format(FailingSince)} ({Failures} in a row): {LastError}; decisions go on from memory");
}
