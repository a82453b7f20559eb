using System.Text;

namespace Rewind.Core.Leadership;

/// <summary>
/// Rendezvous (highest-random-weight) hashing: a component belongs to the member whose pair with it weighs most. Every
/// replica computes the same owner from the same members without talking to the others, and a member that joins or
/// leaves moves only the components it wins or held (about 1/N of them), never a component between two others.
/// The hash is FNV-1a over UTF-8 with a 64-bit finalizer: stable across processes, versions and platforms.
/// </summary>
public static class Rendezvous
{
    /// <summary>The member <paramref name="component"/> belongs to; null when there are no members.</summary>
    public static string? OwnerOf(string component, IReadOnlyList<string> members) => OwnerOf(Hash(component), members);

    /// <summary>As <see cref="OwnerOf(string, IReadOnlyList{string})"/>, with the component's <see cref="Hash"/> computed once.</summary>
    public static string? OwnerOf(ulong componentHash, IReadOnlyList<string> members)
    {
        ArgumentNullException.ThrowIfNull(members);
        return OwnerOf(componentHash, members, [.. members.Select(Hash)]);
    }

    /// <summary>As <see cref="OwnerOf(string, IReadOnlyList{string})"/>, with every name's <see cref="Hash"/> computed once (<paramref name="memberHashes"/>, in the order of <paramref name="members"/>).</summary>
    public static string? OwnerOf(ulong componentHash, IReadOnlyList<string> members, IReadOnlyList<ulong> memberHashes)
    {
        ArgumentNullException.ThrowIfNull(members);
        ArgumentNullException.ThrowIfNull(memberHashes);
        string? owner = null;
        var best = 0UL;
        for (var i = 0; i < members.Count; i++)
        {
            var member = members[i];
            var weight = Weight(componentHash, memberHashes[i]);
            if (owner is null || weight > best || (weight == best && string.CompareOrdinal(member, owner) < 0))
            {
                owner = member;
                best = weight;
            }
        }

        return owner;
    }

    /// <summary>The components of <paramref name="components"/> that <paramref name="member"/> owns among <paramref name="members"/>.</summary>
    public static IReadOnlySet<string> Owned(string member, IEnumerable<string> components, IReadOnlyList<string> members)
    {
        ArgumentNullException.ThrowIfNull(components);
        return components.Where(c => string.Equals(OwnerOf(c, members), member, StringComparison.Ordinal)).ToHashSet(StringComparer.Ordinal);
    }

    public static ulong Hash(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var hash = 14695981039346656037UL;
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        return hash;
    }

    /// <summary>The pair's weight: the murmur3 finalizer over the two hashes combined, so that close names weigh far apart.</summary>
    private static ulong Weight(ulong component, ulong member)
    {
        var x = component ^ (member * 0x9E3779B97F4A7C15UL);
        x ^= x >> 33;
        x *= 0xFF51AFD7ED558CCDUL;
        x ^= x >> 33;
        x *= 0xC4CEB93F53FE1A85UL;
        x ^= x >> 33;
        return x;
    }
}
