using Rewind.Engine.Hosting;

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
/// is paged once it has lasted <paramref name="pageAfter"/> (a blip is not a page), and its end once it has stayed away
/// for <paramref name="quietFor"/>. A fault that comes back within that time is the same fault going on, so a store
/// that flaps pages once, not on every flap. Time comes from the caller; one caller at a time.
/// </summary>
internal sealed class ControllerPager(TimeSpan pageAfter, TimeSpan quietFor)
{
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
            else if (now - fault.Since >= pageAfter)
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
            if (now - cleared >= quietFor)
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
