using System.Globalization;

namespace Rewind.Core.Audit;

/// <summary>
/// One refused request as the audit log sees it: from where, by whom (<c>anonymous</c> without a valid token), its
/// answer (401, 403, 429), why, and what was asked. Refusals with the same source, actor, result and reason are one
/// refuser.
/// </summary>
public sealed record Refusal(string Source, string Actor, string Result, string Reason, string Action, string Target, string Detail);

/// <summary>How refused requests are counted. Defaults: a window of one minute, 100 refusers tracked.</summary>
public sealed record RefusalTallyOptions(TimeSpan Window, int MaxRefusers)
{
    public static RefusalTallyOptions Default { get; } = new(TimeSpan.FromMinutes(1), 100);
}

/// <summary>
/// Keeps the audit log of refused requests bounded whatever a client sends. A refuser's first refusal is an entry at
/// once (count 1); later ones are only counted, and when the refuser's window ends its count becomes one entry (the
/// count and the window in it). A refuser still refused in a window is tracked for the next one; one quiet for a whole
/// window is forgotten, so its next refusal is again an entry at once. At most <see cref="RefusalTallyOptions.MaxRefusers"/>
/// refusers are tracked; refusals of any other are counted in one "other sources" bucket per result. So a window adds at
/// most twice the tracked refusers plus one per result, and memory holds no more than that many counts.
/// </summary>
public sealed class RefusalTally(RefusalTallyOptions options, TimeProvider time)
{
    /// <summary>The source of the bucket that counts the refusals of refusers beyond the tracked ones.</summary>
    public const string OtherSources = "other sources";

    private readonly Lock _gate = new();
    private readonly Dictionary<(string Source, string Actor, string Result, string Reason), Window> _refusers = [];
    private readonly Dictionary<string, Window> _others = new(StringComparer.Ordinal);

    /// <summary>The entry to write now for a refuser's first refusal, or null when the refusal was counted for later.</summary>
    public AuditRecord? Record(Refusal refusal)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        var now = time.GetUtcNow();
        var key = (refusal.Source, refusal.Actor, refusal.Result, refusal.Reason);
        lock (_gate)
        {
            if (_refusers.TryGetValue(key, out var window))
            {
                window.Count(refusal);
                return null;
            }

            if (_refusers.Count >= options.MaxRefusers)
            {
                if (!_others.TryGetValue(refusal.Result, out var other))
                {
                    _others[refusal.Result] = other = new Window(now);
                }

                other.Count(refusal);
                return null;
            }

            _refusers[key] = new Window(now);
        }

        var detail = refusal.Detail.Length == 0 ? refusal.Reason : refusal.Detail;
        return new AuditRecord(now, refusal.Actor, refusal.Action, refusal.Target, refusal.Source, refusal.Result, detail);
    }

    /// <summary>One entry for each window that has ended with refusals counted; quiet refusers are forgotten.</summary>
    public IReadOnlyList<AuditRecord> TakeEnded() => Take(all: false);

    /// <summary>One entry for every count held, ended or not (at shutdown: nothing counted is lost).</summary>
    public IReadOnlyList<AuditRecord> TakeAll() => Take(all: true);

    private List<AuditRecord> Take(bool all)
    {
        var now = time.GetUtcNow();
        var records = new List<AuditRecord>();
        lock (_gate)
        {
            foreach (var (key, window) in _refusers.ToList())
            {
                if (!all && now - window.Start < options.Window)
                {
                    continue;
                }

                if (window.Counted == 0)
                {
                    _refusers.Remove(key);
                    continue;
                }

                records.Add(window.ToRecord(now, key.Actor, key.Source, key.Result, key.Reason));
                _refusers[key] = new Window(now);
            }

            foreach (var (result, window) in _others.ToList())
            {
                if (all || now - window.Start >= options.Window)
                {
                    records.Add(window.ToRecord(now, "various", OtherSources, result, $"refusers beyond the {options.MaxRefusers} tracked"));
                    _others.Remove(result);
                }
            }
        }

        return records;
    }

    private sealed class Window(DateTimeOffset start)
    {
        private string? _action;
        private bool _variousActions;

        public DateTimeOffset Start { get; } = start;

        public long Counted { get; private set; }

        public void Count(Refusal refusal)
        {
            Counted++;
            _variousActions |= _action is not null && !string.Equals(_action, refusal.Action, StringComparison.Ordinal);
            _action = refusal.Action;
        }

        public AuditRecord ToRecord(DateTimeOffset now, string actor, string source, string result, string reason)
        {
            var span = string.Create(CultureInfo.InvariantCulture, $"{Counted} refused from {Start.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'} to {now.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}");
            var action = _variousActions ? $"{_action} and others" : _action!;
            return new AuditRecord(now, actor, action, "", source, result, reason.Length == 0 ? span : $"{reason}; {span}", Counted);
        }
    }
}
