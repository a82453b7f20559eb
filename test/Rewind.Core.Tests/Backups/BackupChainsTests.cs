using Rewind.Core.Backups;

namespace Rewind.Core.Tests.Backups;

public sealed class BackupChainsTests
{
    [Fact]
    public void ChooseParent_NoSet_FullBecauseNoEarlierSet()
    {
        var (parent, why) = BackupChains.ChooseParent([], 1, "15", null, 0);

        parent.ShouldBeNull();
        why.ShouldBe("no earlier set");
    }

    [Fact]
    public void ChooseParent_IntactChain_TheNewestSet()
    {
        BackupManifest[] sets = [Sets.Full("20261101T000000000Z"), Sets.Incremental("20261102T000000000Z", "20261101T000000000Z")];

        BackupChains.ChooseParent(sets, 1, "15", null, 0).Parent.ShouldBe(sets[1]);
    }

    [Theory]
    [InlineData(2u, "15", null, 0, "timeline 1, the cluster on 2")]
    [InlineData(1u, "16", null, 0, "PostgreSQL 15, the cluster is 16")]
    [InlineData(1u, "15", "00aa", 0, "not encrypted, the repository's key is 00aa")]
    [InlineData(1u, "15", null, 1, "already has 1 incremental(s) (max-chain 1)")]
    public void ChooseParent_NewestSetNotEligible_FullAndSaysWhy(uint timeline, string version, string? keyId, int maxChain, string why)
    {
        BackupManifest[] sets = [Sets.Full("20261101T000000000Z"), Sets.Incremental("20261102T000000000Z", "20261101T000000000Z")];

        var (parent, whyFull) = BackupChains.ChooseParent(sets, timeline, version, keyId, maxChain);

        parent.ShouldBeNull();
        whyFull.ShouldNotBeNull().ShouldContain(why);
    }

    [Fact]
    public void ChooseParent_BrokenChain_FullNamingTheMissingSet()
    {
        BackupManifest[] sets = [Sets.Incremental("20261102T000000000Z", "20261101T000000000Z")];

        BackupChains.ChooseParent(sets, 1, "15", null, 0).WhyFull.ShouldBe("the chain of the newest set 20261102T000000000Z is broken (set 20261101T000000000Z is missing)");
    }

    [Fact]
    public void Dependencies_IncrementalOfIncremental_AncestorsAndHolders()
    {
        var full = Sets.Full("20261101T000000000Z");
        var first = Sets.Incremental("20261102T000000000Z", full.SetId);
        var second = Sets.Incremental("20261103T000000000Z", first.SetId, holders: [full.SetId, first.SetId]);
        var byId = new[] { full, first, second }.ToDictionary(s => s.SetId, StringComparer.Ordinal);

        var (needed, missing) = BackupChains.Dependencies(second, byId);

        needed.ShouldBe([full.SetId, first.SetId]);
        missing.ShouldBeEmpty();
        BackupChains.RootOf(second, byId).ShouldBe(full.SetId);
        BackupChains.ChainLength(second, byId).ShouldBe(2);
    }
}

/// <summary>Manifests of full and incremental sets for the chain and retention tests.</summary>
internal static class Sets
{
    public static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    public static BackupManifest Full(string id, DateTimeOffset? finished = null) => Make(id, finished, null, []);

    public static BackupManifest Incremental(string id, string parent, DateTimeOffset? finished = null, IReadOnlyList<string>? holders = null) =>
        Make(id, finished, parent, holders ?? [parent]) with { Type = BackupType.Incremental, Parent = parent, Format = 2 };

    private static BackupManifest Make(string id, DateTimeOffset? finished, string? parent, IReadOnlyList<string> holders)
    {
        var files = holders.Select((holder, i) => new ManifestFile($"base/1/{i}", 8192, "00", 100, StoredCompression.Gzip, false, 384, Now) { StoredIn = holder })
            .Append(new ManifestFile("global/pg_control", 8192, "00", 100, StoredCompression.Gzip, false, 384, Now));
        var at = finished ?? Now;
        return new BackupManifest(id, parent is null ? "full" : "incr", at.AddMinutes(-1), at, 1, "0/0", "0/0", "000000010000000000000010", "000000010000000000000010", WalSegmentName.DefaultSize, "15", null, [], [.. files]);
    }
}
