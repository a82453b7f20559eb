namespace Rewind.Server.Hosting;

/// <summary>
/// A page about the controller itself: a fault that lasted, or the end of one that was paged (then with how long it
/// lasted).
/// </summary>
internal sealed record ControllerPage(ControllerFault Fault, TimeSpan? Duration)
{
    public bool Recovered => Duration is not null;
}

/// <summary>
/// Decides when the controller pages about itself, from the faults raised now (<see cref="ControllerFaults"/>): a fault
/// is paged once it has lasted <see cref="PageAfter"/> (a blip is not a page), and its end once it has stayed away for
/// <see cref="QuietFor"/>. A fault that comes back within that time is the same fault going on, so a store that
/// flaps pages once, not on every flap. Time comes from the caller; one caller at a time.
/// </summary>
internal sealed class ControllerPager
{
    /// <summary>How long a fault lasts before it is paged.</summary>
    public static readonly TimeSpan PageAfter = TimeSpan.FromSeconds(10);

    /// <summary>How long a paged fault must stay away before its end is paged.</summary>
    public static readonly TimeSpan QuietFor = TimeSpan.FromSeconds(30);

    private readonly Dictionary<string, Paged> _paged = new(StringComparer.Ordinal);

    /// <summary>The pages due at <paramref name="now"/> given the faults raised now.</summary>
    public IReadOnlyList<ControllerPage> Review(IReadOnlyList<ControllerFault> active, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(active);
        var pages = new List<ControllerPage>();
        foreach (var fault in active)
        {
            if (_paged.TryGetValue(fault.Kind, out var paged))
            {
                _paged[fault.Kind] = paged with { Latest = fault, ClearedAt = null };
            }
            else if (now - fault.Since >= PageAfter)
            {
                _paged[fault.Kind] = new Paged(fault, fault, null);
                pages.Add(new ControllerPage(fault, null));
            }
        }

        foreach (var (kind, paged) in _paged.ToList())
        {
            if (active.Any(f => f.Kind == kind))
            {
                continue;
            }

            var cleared = paged.ClearedAt ?? now;
            if (now - cleared >= QuietFor)
            {
                _paged.Remove(kind);
                pages.Add(new ControllerPage(paged.Latest, cleared - paged.First.Since));
            }
            else
            {
                _paged[kind] = paged with { ClearedAt = cleared };
            }
        }

        return pages;
    }

    private sealed record Paged(ControllerFault First, ControllerFault Latest, DateTimeOffset? ClearedAt);
}
