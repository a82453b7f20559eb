using Rewind.Core.Backups;

namespace Rewind.Core.Tests.Backups;

public sealed class RetentionTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Decide_KeepsTheNewestCount_AndYoungerThanAgeBeyondThem()
    {
        BackupManifest[] sets = [Set(40, "10"), Set(20, "20"), Set(10, "30"), Set(2, "40")];

        var decision = Retention.Decide(sets, Now, count: 2, age: TimeSpan.FromDays(25));

        decision.Keep.Select(s => s.WalStart).ShouldBe([Segment("20"), Segment("30"), Segment("40")]);
        decision.Expire.ShouldHaveSingleItem().WalStart.ShouldBe(Segment("10"));
        decision.WalKeptFrom.ShouldBe(WalSegmentName.Parse(Segment("20")));
    }

    [Fact]
    public void Decide_AllOld_StillKeepsCount()
    {
        BackupManifest[] sets = [Set(400, "10"), Set(300, "20"), Set(200, "30")];

        var decision = Retention.Decide(sets, Now, count: 1, age: TimeSpan.FromDays(1));

        decision.Keep.ShouldHaveSingleItem().WalStart.ShouldBe(Segment("30"));
        decision.Expire.Count.ShouldBe(2);
    }

    [Fact]
    public void Decide_NoSets_ExpiresNoWal()
    {
        var decision = Retention.Decide([], Now, count: 3, age: TimeSpan.FromDays(1));

        decision.WalKeptFrom.ShouldBeNull();
        decision.Expires(WalFileName.TryParse("000000010000000000000001")!).ShouldBeFalse();
    }

    [Theory]
    [InlineData("00000001000000000000001F", true)]
    [InlineData("00000001000000000000001F.partial", true)]
    [InlineData("00000001000000000000001F.00000028.backup", true)]
    [InlineData("000000010000000000000020", false)]
    [InlineData("000000010000000000000021", false)]
    [InlineData("00000002000000000000001F", false)] // a newer timeline than the oldest kept set's
    [InlineData("00000001.history", false)]
    [InlineData("00000002.history", false)]
    public void Expires_OnlyWalBeforeTheOldestKeptSetOnItsTimelineOrOlder(string name, bool expires)
    {
        var decision = Retention.Decide([Set(1, "20")], Now, count: 1, age: TimeSpan.FromDays(1));

        decision.Expires(WalFileName.TryParse(name)!).ShouldBe(expires);
    }

    private static string Segment(string last) => "0000000100000000000000" + last;

    private static BackupManifest Set(int daysAgo, string walStart) =>
        new($"set-{walStart}", "label", Now.AddDays(-daysAgo).AddMinutes(-5), Now.AddDays(-daysAgo), 1, "0/0", "0/0", Segment(walStart), Segment(walStart), WalSegmentName.DefaultSize, "15", null, [], []);
}

public sealed class RetentionChainTests
{
    [Fact]
    public void Decide_KeptIncremental_KeepsTheFullSetItDependsOn()
    {
        var full = Sets.Full("20261101T000000000Z", Sets.Now.AddDays(-40));
        var incremental = Sets.Incremental("20261102T000000000Z", full.SetId, Sets.Now.AddDays(-39));

        var decision = Retention.Decide([full, incremental], Sets.Now, count: 1, age: TimeSpan.FromDays(1));

        decision.Keep.Select(s => s.SetId).ShouldBe([full.SetId, incremental.SetId]);
        decision.Expire.ShouldBeEmpty();
    }

    [Fact]
    public void Decide_ChainNoneOfItKept_ExpiresTheWholeChain()
    {
        var full = Sets.Full("20261101T000000000Z", Sets.Now.AddDays(-40));
        var incremental = Sets.Incremental("20261102T000000000Z", full.SetId, Sets.Now.AddDays(-39));
        var newer = Sets.Full("20261120T000000000Z", Sets.Now.AddDays(-2));

        var decision = Retention.Decide([full, incremental, newer], Sets.Now, count: 1, age: TimeSpan.FromDays(1));

        decision.Keep.ShouldHaveSingleItem().SetId.ShouldBe(newer.SetId);
        decision.Expire.Select(s => s.SetId).ShouldBe([full.SetId, incremental.SetId]);
    }

    /// <summary>Property over random histories: no kept set ever depends on an expired one, and the rule's own choice is always kept.</summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Decide_RandomChains_NoKeptSetDependsOnAnExpiredOne(int seed)
    {
        var random = new Random(seed);
        for (var round = 0; round < 50; round++)
        {
            var sets = RandomHistory(random);
            var (count, age) = (random.Next(1, 4), TimeSpan.FromDays(random.Next(1, 30)));

            var decision = Retention.Decide(sets, Sets.Now, count, age);

            var byId = sets.ToDictionary(s => s.SetId, StringComparer.Ordinal);
            var expired = decision.Expire.Select(s => s.SetId).ToHashSet(StringComparer.Ordinal);
            decision.Keep.SelectMany(s => BackupChains.Dependencies(s, byId).Needed).ShouldAllBe(id => !expired.Contains(id));
            Retention.Kept(sets, s => s.SetId, s => s.Finished, Sets.Now, count, age).ShouldAllBe(s => !expired.Contains(s.SetId));
            (decision.Keep.Count + decision.Expire.Count).ShouldBe(sets.Count);
        }
    }

    /// <summary>A day-by-day history of full sets and incrementals (each referencing its parent and, at random, older holders of its chain).</summary>
    private static List<BackupManifest> RandomHistory(Random random)
    {
        var sets = new List<BackupManifest>();
        var chain = new List<string>();
        for (var day = 60; day > 0; day -= random.Next(1, 6))
        {
            var id = Sets.Now.AddDays(-day).ToString("yyyyMMdd'T'HHmmssfff'Z'", System.Globalization.CultureInfo.InvariantCulture);
            if (chain.Count == 0 || random.Next(4) == 0)
            {
                sets.Add(Sets.Full(id, Sets.Now.AddDays(-day)));
                chain = [id];
                continue;
            }

            var holders = chain.Where(_ => random.Next(2) == 0).Append(chain[^1]).Distinct(StringComparer.Ordinal).ToList();
            sets.Add(Sets.Incremental(id, chain[^1], Sets.Now.AddDays(-day), holders));
            chain.Add(id);
        }

        return sets;
    }
}
