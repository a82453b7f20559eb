using Microsoft.Extensions.Time.Testing;
using Rewind.Core.Audit;

namespace Rewind.Core.Tests.Audit;

public sealed class RefusalTallyTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 6, 8, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(T0);

    [Fact]
    public void Record_FirstRefusal_IsWrittenAtOnce_AndTheRestAreCounted()
    {
        var tally = new RefusalTally(new RefusalTallyOptions(TimeSpan.FromMinutes(1), 10), _time);

        var first = tally.Record(Anonymous("10.0.0.7"));
        var later = Enumerable.Range(0, 500).Select(_ => tally.Record(Anonymous("10.0.0.7"))).ToList();

        first.ShouldBe(new AuditRecord(T0, "anonymous", "GET /api/v1/components", "", "10.0.0.7", "401", "unknown token"));
        later.ShouldAllBe(r => r == null);
        tally.TakeEnded().ShouldBeEmpty(); // the window has not ended
    }

    [Fact]
    public void TakeEnded_WindowOver_OneEntryWithTheCount()
    {
        var tally = new RefusalTally(new RefusalTallyOptions(TimeSpan.FromMinutes(1), 10), _time);
        tally.Record(Anonymous("10.0.0.7"));
        for (var i = 0; i < 500; i++)
        {
            tally.Record(Anonymous("10.0.0.7") with { Action = i % 2 == 0 ? "GET /api/v1/components" : "POST /api/v1/rollbacks" });
        }

        _time.Advance(TimeSpan.FromSeconds(59));
        var early = tally.TakeEnded();
        _time.Advance(TimeSpan.FromSeconds(1));
        var ended = tally.TakeEnded();

        early.ShouldBeEmpty();
        var entry = ended.ShouldHaveSingleItem();
        entry.Count.ShouldBe(500);
        entry.At.ShouldBe(T0.AddMinutes(1));
        entry.Source.ShouldBe("10.0.0.7");
        entry.Result.ShouldBe("401");
        entry.Action.ShouldBe("POST /api/v1/rollbacks and others");
        entry.Detail.ShouldBe("unknown token; 500 refused from 2026-12-06T08:00:00Z to 2026-12-06T08:01:00Z");
    }

    [Fact]
    public void TakeEnded_FloodGoesOn_OneEntryPerWindow_QuietRefuserForgotten()
    {
        var tally = new RefusalTally(new RefusalTallyOptions(TimeSpan.FromMinutes(1), 10), _time);
        var written = new List<AuditRecord>();
        for (var second = 0; second < 300; second++)
        {
            for (var i = 0; i < 100; i++)
            {
                if (tally.Record(Anonymous("10.0.0.7")) is { } now)
                {
                    written.Add(now);
                }
            }

            _time.Advance(TimeSpan.FromSeconds(1));
            written.AddRange(tally.TakeEnded());
        }

        _time.Advance(TimeSpan.FromMinutes(1));
        var quiet = tally.TakeEnded(); // a window without refusals: nothing to write, and the refuser is forgotten
        var again = tally.Record(Anonymous("10.0.0.7"));

        written.Count.ShouldBe(1 + 5); // the first at once, then one per minute
        written.Sum(r => r.Count).ShouldBe(30_000);
        quiet.ShouldBeEmpty();
        again.ShouldNotBeNull();
    }

    [Fact]
    public void Record_BeyondTrackedRefusers_CountedInOtherSources()
    {
        var tally = new RefusalTally(new RefusalTallyOptions(TimeSpan.FromMinutes(1), 3), _time);

        var atOnce = Enumerable.Range(1, 1000).Select(i => tally.Record(Anonymous($"10.0.{i / 256}.{i % 256}"))).Count(r => r is not null);
        var forbidden = tally.Record(new Refusal("10.9.9.9", "bob", "403", "", "POST /api/v1/users", "", "token tok_1"));
        var all = tally.TakeAll();

        atOnce.ShouldBe(3);
        forbidden.ShouldBeNull();
        all.Count.ShouldBe(2); // the three tracked were refused once each: nothing more to say of them
        all.ShouldContain(r => r.Source == RefusalTally.OtherSources && r.Result == "401" && r.Count == 997 && r.Actor == "various");
        all.ShouldContain(r => r.Source == RefusalTally.OtherSources && r.Result == "403" && r.Count == 1);
        tally.TakeAll().ShouldBeEmpty();
    }

    [Fact]
    public void Record_ForbiddenUsersAndReasons_AreSeparateRefusers()
    {
        var tally = new RefusalTally(RefusalTallyOptions.Default, _time);

        var first = tally.Record(new Refusal("10.0.0.7", "bob", "403", "", "POST /api/v1/users", "", "token tok_1"));
        var otherUser = tally.Record(new Refusal("10.0.0.7", "carol", "403", "", "POST /api/v1/users", "", "token tok_2"));
        var otherReason = tally.Record(Anonymous("10.0.0.7") with { Reason = "token tok_3 was revoked" });
        var sameAgain = tally.Record(new Refusal("10.0.0.7", "bob", "403", "", "POST /api/v1/users", "", "token tok_1"));

        first.ShouldNotBeNull();
        otherUser.ShouldNotBeNull();
        otherReason.ShouldNotBeNull();
        sameAgain.ShouldBeNull();
        tally.TakeAll().ShouldHaveSingleItem().Actor.ShouldBe("bob");
    }

    private static Refusal Anonymous(string source) => new(source, "anonymous", "401", "unknown token", "GET /api/v1/components", "", "unknown token");
}
