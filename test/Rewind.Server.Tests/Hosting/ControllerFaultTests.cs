using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Rewind.Core.Incidents;
using Rewind.Engine.Hosting;
using Rewind.Engine.Runbooks;
using Rewind.Server.Hosting;
using Rewind.Storage;

namespace Rewind.Server.Tests.Hosting;

/// <summary>When the controller pages about itself, how its executor's crashes become a fault, and how an outage is logged; in virtual time.</summary>
public sealed class ControllerFaultTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 6, 3, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan PageAfter = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan QuietFor = TimeSpan.FromSeconds(30);

    [Fact]
    public void Pager_AFaultThatLasts_IsPagedOnceAfterItsTime_AndItsEndOnceAfterTheQuietTime()
    {
        var pager = new ControllerPager(PageAfter, QuietFor);
        var fault = Fault(ControllerFaultKinds.StoreUnreachable, T0);

        pager.Review([fault], T0.AddSeconds(9.9)).ShouldBeEmpty();
        pager.Review([fault], T0.AddSeconds(10)).ShouldHaveSingleItem().ShouldBe(new ControllerPage(fault, null));
        pager.Review([fault], T0.AddSeconds(60)).ShouldBeEmpty(); // still going on: no second page

        pager.Review([], T0.AddSeconds(70)).ShouldBeEmpty(); // gone, but not for long enough yet
        pager.Review([], T0.AddSeconds(99.9)).ShouldBeEmpty();
        var end = pager.Review([], T0.AddSeconds(100)).ShouldHaveSingleItem();
        end.Recovered.ShouldBeTrue();
        end.Duration.ShouldBe(TimeSpan.FromSeconds(70)); // from the fault's start to the moment it went away
        pager.Review([], T0.AddSeconds(200)).ShouldBeEmpty();
    }

    [Fact]
    public void Pager_ABlipShorterThanItsTime_IsNeverPaged()
    {
        var pager = new ControllerPager(PageAfter, QuietFor);

        pager.Review([Fault(ControllerFaultKinds.StoreNotWritable, T0)], T0.AddSeconds(5)).ShouldBeEmpty();
        pager.Review([], T0.AddSeconds(6)).ShouldBeEmpty();
        pager.Review([], T0.AddSeconds(100)).ShouldBeEmpty(); // no end either: nobody was told it began
    }

    [Fact]
    public void Pager_AFaultThatFlaps_IsOneFaultGoingOn_NotAPagePerFlap()
    {
        var pager = new ControllerPager(PageAfter, QuietFor);
        var pages = new List<ControllerPage>();
        var at = T0;
        pages.AddRange(pager.Review([Fault(ControllerFaultKinds.StoreUnreachable, T0)], T0.AddSeconds(10)));
        for (var flap = 0; flap < 20; flap++)
        {
            at = T0.AddSeconds(20 + (flap * 20));
            pages.AddRange(pager.Review([], at)); // away for 10 s, back for 10 s: never away for the quiet time
            pages.AddRange(pager.Review([Fault(ControllerFaultKinds.StoreUnreachable, at.AddSeconds(10))], at.AddSeconds(10)));
        }

        pages.ShouldHaveSingleItem().Recovered.ShouldBeFalse();
        pager.Review([], at.AddSeconds(20)).ShouldBeEmpty();
        pager.Review([], at.AddSeconds(50)).ShouldHaveSingleItem().Recovered.ShouldBeTrue();
    }

    [Fact]
    public void Pager_TwoFaults_ArePagedEachOnItsOwnTime()
    {
        var pager = new ControllerPager(PageAfter, QuietFor);
        var full = Fault(ControllerFaultKinds.StoreDiskNearlyFull, T0);
        var crash = Fault(ControllerFaultKinds.ExecutorCrashLoop, T0.AddSeconds(5));

        pager.Review([full, crash], T0.AddSeconds(10)).ShouldBe([new ControllerPage(full, null)]);
        pager.Review([full, crash], T0.AddSeconds(15)).ShouldBe([new ControllerPage(crash, null)]);
    }

    [Fact]
    public void Faults_ARaisedFaultKeepsWhenItBegan_AndTheMostSevereComesFirst()
    {
        var faults = new ControllerFaults();

        faults.Raise(ControllerFaultKinds.StoreDiskNearlyFull, Severity.P2, "store disk nearly full", "5 % free", T0).ShouldBeTrue();
        faults.Raise(ControllerFaultKinds.StoreDiskNearlyFull, Severity.P2, "store disk nearly full", "4 % free", T0.AddMinutes(1)).ShouldBeFalse();
        faults.Raise(ControllerFaultKinds.StoreUnreachable, Severity.P1, "store unavailable", "connection refused", T0.AddMinutes(2)).ShouldBeTrue();

        faults.Active().Select(f => (f.Kind, f.Message, f.Since)).ShouldBe(
        [
            (ControllerFaultKinds.StoreUnreachable, "connection refused", T0.AddMinutes(2)),
            (ControllerFaultKinds.StoreDiskNearlyFull, "4 % free", T0),
        ]);
        faults.Clear(ControllerFaultKinds.StoreUnreachable).ShouldNotBeNull();
        faults.Clear(ControllerFaultKinds.StoreUnreachable).ShouldBeNull();
    }

    [Fact]
    public void ExecutorCrashes_ThreeInARow_IsACrashLoopUntilTheRollbackEnds()
    {
        var faults = new ControllerFaults();
        var crashes = new ExecutorCrashes(faults);
        var error = new InvalidOperationException("no such step");

        crashes.Crashed("rb-1", error, T0).ShouldBe(1);
        crashes.Crashed("rb-1", error, T0.AddSeconds(2)).ShouldBe(2);
        faults.Active().ShouldBeEmpty();
        crashes.Crashed("rb-2", error, T0.AddSeconds(3)).ShouldBe(1);
        crashes.Crashed("rb-1", error, T0.AddSeconds(4)).ShouldBe(3);

        var loop = faults.Active().ShouldHaveSingleItem();
        loop.Kind.ShouldBe(ControllerFaultKinds.ExecutorCrashLoop);
        loop.Severity.ShouldBe(Severity.P1);
        loop.Message.ShouldContain("rollback rb-1 crashed 3 times in a row");
        loop.Message.ShouldContain("no such step");

        crashes.Ended("rb-2");
        faults.Active().ShouldHaveSingleItem();
        crashes.Ended("rb-1");
        faults.Active().ShouldBeEmpty();
    }

    [Fact]
    public void OutageLog_AStoreOutage_IsOneLineAMinute_AnotherErrorIsLoggedAsItIs()
    {
        var time = new FakeTimeProvider(T0);
        var log = new StoreOutageLog(time);
        var refused = new NpgsqlException("Failed to connect to 127.0.0.1:5432", new System.Net.Sockets.SocketException(111));
        var shown = new List<Exception>();
        for (var tick = 0; tick < 240; tick++) // two minutes of a loop that fails every half second
        {
            if (log.Filter(refused) is { } line)
            {
                shown.Add(line);
            }

            time.Advance(TimeSpan.FromMilliseconds(500));
        }

        shown.Count.ShouldBe(2);
        shown.ShouldAllBe(e => e is StoreUnavailableException && e.StackTrace == null);
        shown[0].Message.ShouldContain("Failed to connect to 127.0.0.1:5432");
        shown[1].Message.ShouldContain("(121 failures so far)");

        var bug = new InvalidOperationException("a bug");
        log.Filter(bug).ShouldBeSameAs(bug);
        log.Succeeded();
        log.Filter(refused).ShouldBeOfType<StoreUnavailableException>(); // a new outage is told at once
    }

    [Theory]
    [InlineData(13, true)] // SQLITE_FULL
    [InlineData(10, true)] // SQLITE_IOERR
    [InlineData(8, true)] // SQLITE_READONLY
    [InlineData(19, false)] // SQLITE_CONSTRAINT: the request's fault
    [InlineData(1, false)] // SQLITE_ERROR: a bad statement is a bug, not an outage
    public void IsUnavailable_SqliteErrors(int code, bool unavailable) =>
        StoreFactory.IsUnavailable(new InvalidOperationException("wrapped", new SqliteException("sqlite", code))).ShouldBe(unavailable);

    [Fact]
    public void IsUnavailable_PostgresErrors()
    {
        StoreFactory.IsUnavailable(new NpgsqlException("Exception while reading from stream")).ShouldBeTrue();
        StoreFactory.IsUnavailable(Postgres("57P01")).ShouldBeTrue(); // admin shutdown
        StoreFactory.IsUnavailable(Postgres("53100")).ShouldBeTrue(); // disk full
        StoreFactory.IsUnavailable(Postgres("08006")).ShouldBeTrue(); // connection failure
        StoreFactory.IsUnavailable(Postgres("23505")).ShouldBeFalse(); // unique violation
        StoreFactory.IsUnavailable(Postgres("42P01")).ShouldBeFalse(); // undefined table
        StoreFactory.IsUnavailable(new InvalidOperationException("a bug")).ShouldBeFalse();
    }

    private static PostgresException Postgres(string sqlState) => new("message", "ERROR", "ERROR", sqlState);

    private static ControllerFault Fault(string kind, DateTimeOffset since) => new(kind, Severity.P1, kind, $"{kind} happened", since);
}
