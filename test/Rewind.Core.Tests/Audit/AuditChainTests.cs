using Rewind.Core.Access;
using Rewind.Core.Audit;

namespace Rewind.Core.Tests.Audit;

public sealed class AuditChainTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 3, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Verify_IntactChain_HasNoProblem()
    {
        AuditChain.Verify(Chain(5)).ShouldBeEmpty();
        AuditChain.Verify([]).ShouldBeEmpty();
    }

    [Fact]
    public void Verify_EditedEntry_IsNamed()
    {
        var entries = Chain(5);
        entries[2] = entries[2] with { Actor = "mallory" };

        AuditChain.Verify(entries).ShouldBe(["entry 3 was edited: its content does not match its hash"]);
    }

    [Fact]
    public void Verify_RemovedEntry_IsNamed()
    {
        var entries = Chain(5);
        entries.RemoveAt(1);

        AuditChain.Verify(entries).ShouldBe([
            "entries 2..2 are missing (removed)",
            "entry 3 does not follow the entry before it (its previous hash does not match): removed or reordered entries",
        ]);
    }

    [Fact]
    public void Verify_ReorderedEntries_AreNamed()
    {
        var entries = Chain(5);
        (entries[1], entries[2]) = (entries[2] with { Seq = 2 }, entries[1] with { Seq = 3 }); // swapped, with the sequence numbers rewritten to hide it

        var problems = AuditChain.Verify(entries);

        problems.ShouldContain("entry 2 does not follow the entry before it (its previous hash does not match): removed or reordered entries");
        problems.ShouldContain("entry 2 was edited: its content does not match its hash");
    }

    [Fact]
    public void Verify_RehashedEditWithoutTheRest_BreaksTheNextLink()
    {
        var entries = Chain(4);
        var forged = new AuditRecord(entries[1].At, "mallory", entries[1].Action, entries[1].Target, entries[1].Source, entries[1].Result, entries[1].Detail);
        entries[1] = entries[1] with { Actor = "mallory", Hash = AuditChain.HashOf(2, entries[1].PreviousHash, forged) };

        AuditChain.Verify(entries).ShouldBe(["entry 3 does not follow the entry before it (its previous hash does not match): removed or reordered entries"]);
    }

    [Fact]
    public void HashOf_ShiftingTextBetweenFields_ChangesTheHash()
    {
        var a = new AuditRecord(T0, "ab", "c", "t", "s", "r");
        var b = new AuditRecord(T0, "a", "bc", "t", "s", "r");

        AuditChain.HashOf(1, AuditChain.Genesis, a).ShouldNotBe(AuditChain.HashOf(1, AuditChain.Genesis, b));
    }

    [Fact]
    public void HashOf_CountOfOne_IsTheHashWithoutACount_AndAnEditedCountIsNamed()
    {
        var record = new AuditRecord(T0, "anonymous", "GET /api/v1/components", "", "10.0.0.7", "401", "unknown token");
        var entries = Chain(3);
        var counted = record with { Count = 9999 };
        var hash = AuditChain.HashOf(4, entries[2].Hash, counted);
        entries.Add(new AuditEntry(4, counted.At, counted.Actor, counted.Action, counted.Target, counted.Source, counted.Result, counted.Detail, entries[2].Hash, hash, counted.Count));

        AuditChain.HashOf(1, AuditChain.Genesis, record).ShouldBe("sha256:2367a497b7ce4add14dd5c9460c57f8f5f6f82b4eabbb554448c4806e7c2226b"); // as before counts existed
        AuditChain.Verify(entries).ShouldBeEmpty();
        entries[3] = entries[3] with { Count = 1 };
        AuditChain.Verify(entries).ShouldBe(["entry 4 was edited: its content does not match its hash"]);
    }

    [Fact]
    public void Roles_AdminGrantsAllAndEveryRoleReads()
    {
        Roles.Grants([Roles.Admin], Roles.Approver).ShouldBeTrue();
        Roles.Grants(["tech-lead"], Roles.Viewer).ShouldBeTrue();
        Roles.Grants([Roles.Viewer], Roles.Operator).ShouldBeFalse();
        Roles.Grants([Roles.Operator], Roles.Approver).ShouldBeFalse();
        Roles.Grants([Roles.Approver, "tech-lead"], "tech-lead").ShouldBeTrue();
        Roles.IsValidName("devops-lead").ShouldBeTrue();
        Roles.IsValidName("Admin").ShouldBeFalse();
    }

    private static List<AuditEntry> Chain(int count)
    {
        var entries = new List<AuditEntry>();
        var previous = AuditChain.Genesis;
        for (var seq = 1; seq <= count; seq++)
        {
            var record = new AuditRecord(T0.AddSeconds(seq), $"user{seq}", "POST /api/v1/rollbacks", "web", "127.0.0.1", "202", "reason: test");
            var hash = AuditChain.HashOf(seq, previous, record);
            entries.Add(new AuditEntry(seq, record.At, record.Actor, record.Action, record.Target, record.Source, record.Result, record.Detail, previous, hash));
            previous = hash;
        }

        return entries;
    }
}
