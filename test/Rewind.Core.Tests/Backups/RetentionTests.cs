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
