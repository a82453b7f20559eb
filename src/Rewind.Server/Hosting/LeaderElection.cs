using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Rewind.Core.Incidents;
using Rewind.Core.Leadership;

using Rewind.Engine.Hosting;

namespace Rewind.Server.Hosting;

/// <summary>
/// Campaigns for the leader lease and holds it. A follower tries to take it every <see cref="CampaignEvery"/> and at
/// once when the leader releases it; it succeeds when the lease ran out (the leader's host or network is lost), when the
/// leader's database session ended (its process died), or when the leader released it (a clean stop). The leader
/// renews every quarter of the lease; a renewal that fails ends its term at once (its session is gone, so another
/// replica may already lead), and a renewal that does not answer ends it three quarters of the lease after the last
/// one, before the lease can run out on the database's clock. On a clean stop the leader ends its term and releases
/// the lease first, before its loops wind down, so that another replica takes over at once.
/// </summary>
internal sealed class LeaderElection(
    ILeaderLease lease,
    Leadership leadership,
    ControllerFaults faults,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<LeaderElection> logger) : BackgroundService
{
    public static readonly TimeSpan CampaignEvery = TimeSpan.FromMilliseconds(200);

    private readonly StoreOutageLog _outage = new(time);
    private string? _followed;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, lifetime.ApplicationStopping);
        while (!stop.IsCancellationRequested)
        {
            long? epoch = null;
            try
            {
                epoch = await lease.TryTakeAsync(stop.Token);
            }
            catch (Exception ex) when (!stop.IsCancellationRequested)
            {
                if (_outage.Filter(ex) is { } shown)
                {
                    LeadershipLog.ElectionFailed(logger, shown, leadership.Replica);
                }
            }

            if (epoch is { } taken)
            {
                await LeadAsync(taken, stop.Token);
                continue;
            }

            await ObserveAsync(stop.Token);
            await WaitAsync(stop.Token);
        }
    }

    private async Task LeadAsync(long epoch, CancellationToken stop)
    {
        var taken = time.GetTimestamp();
        using var term = new LeaderTerm(leadership.Replica, epoch);
        leadership.Begin(term);
        _followed = null;
        LeadershipLog.Leading(logger, leadership.Replica, epoch);
        await ObserveAsync(stop);
        var reason = await HoldAsync(term, taken, stop);
        term.End();
        LeadershipLog.SteppedDown(logger, leadership.Replica, epoch, reason);
        if (stop.IsCancellationRequested)
        {
            await ReleaseAsync(epoch);
        }
    }

    /// <summary>Renews the lease until the term must end; says why it ended.</summary>
    private async Task<string> HoldAsync(LeaderTerm term, long taken, CancellationToken stop)
    {
        if (!lease.IsShared)
        {
            await WaitForStopAsync(stop);
            return "the controller stops";
        }

        var renewEvery = lease.Ttl / 4;
        var actFor = lease.Ttl * 3 / 4;
        var renewed = new Renewal(taken);
        using var acting = CancellationTokenSource.CreateLinkedTokenSource(stop, term.Ended);
        var watchdog = WatchAsync(term, renewed, actFor, acting.Token); // ends the term even while a renewal hangs
        while (!term.IsOver)
        {
            try
            {
                await Task.Delay(renewEvery, time, acting.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            var attempt = time.GetTimestamp();
            try
            {
                if (!await lease.RenewAsync(term.Epoch, acting.Token))
                {
                    return "another replica holds the lease now";
                }

                renewed.At = attempt;
                if (time.GetElapsedTime(attempt) > renewEvery)
                {
                    LeadershipLog.SlowRenewal(logger, leadership.Replica, term.Epoch, Core.Configuration.Durations.Format(time.GetElapsedTime(attempt)));
                }

                await ObserveAsync(stop);
            }
            catch (Exception ex) when (!stop.IsCancellationRequested && !term.IsOver)
            {
                return $"the lease could not be renewed ({ex.Message}); its session is gone, so another replica may lead already";
            }
            catch (Exception) when (!stop.IsCancellationRequested)
            {
                break;
            }
        }

        await watchdog;
        var since = time.GetElapsedTime(renewed.At);
        return stop.IsCancellationRequested
            ? "the controller stops; the lease is released for another replica"
            : $"no renewal for {Core.Configuration.Durations.Format(since)}, three quarters of the {Core.Configuration.Durations.Format(lease.Ttl)} lease: it stops acting before the lease can run out";
    }

    /// <summary>Ends <paramref name="term"/> once <paramref name="actFor"/> has passed since the start of its last successful renewal.</summary>
    private async Task WatchAsync(LeaderTerm term, Renewal renewed, TimeSpan actFor, CancellationToken acting)
    {
        while (!acting.IsCancellationRequested)
        {
            var left = actFor - time.GetElapsedTime(renewed.At);
            if (left <= TimeSpan.Zero)
            {
                term.End();
                return;
            }

            try
            {
                await Task.Delay(left, time, acting);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task ReleaseAsync(long epoch)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2), time);
        try
        {
            await lease.ReleaseAsync(epoch, timeout.Token);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // the lease runs out by itself; the fence refuses this term's writes meanwhile
            LeadershipLog.ElectionFailed(logger, ex, leadership.Replica);
        }
    }

    /// <summary>Reads the lease for the health answer and the dashboard; raises the controller fault when no one has led for longer than the lease.</summary>
    private async Task ObserveAsync(CancellationToken stop)
    {
        LeaseView view;
        try
        {
            view = await lease.ReadAsync(stop);
        }
        catch (Exception ex) when (!stop.IsCancellationRequested)
        {
            if (_outage.Filter(ex) is { } shown)
            {
                LeadershipLog.ElectionFailed(logger, shown, leadership.Replica);
            }

            return;
        }
        catch (OperationCanceledException)
        {
            return;
        }

        var now = time.GetUtcNow();
        leadership.Observe(view, now);
        if (view is { IsHeld: true, Holder: { } holder } && holder != leadership.Replica && holder != _followed)
        {
            _followed = holder;
            LeadershipLog.Following(logger, leadership.Replica, holder, view.Epoch);
        }

        var leaderless = leadership.LeaderlessSince is { } since ? now - since : TimeSpan.Zero;
        if (lease.IsShared && leaderless > lease.Ttl)
        {
            if (faults.Raise(ControllerFaultKinds.NoLeader, Severity.P1, "no leader", $"no replica has held the leader lease for {Core.Configuration.Durations.Format(leaderless)} (longer than the {Core.Configuration.Durations.Format(lease.Ttl)} lease): samples are taken, but nothing decides or rolls back; start a replica, or see why none can reach the store", now - leaderless))
            {
                ServerLog.ControllerFaultRaised(logger, ControllerFaultKinds.NoLeader, "no replica holds the leader lease");
            }
        }
        else if (faults.Clear(ControllerFaultKinds.NoLeader) is { } ended)
        {
            ServerLog.ControllerFaultCleared(logger, ControllerFaultKinds.NoLeader, Core.Configuration.Durations.Format(now - ended.Since));
        }
    }

    private async Task WaitAsync(CancellationToken stop)
    {
        try
        {
            await lease.WaitForChangeAsync(CampaignEvery, stop);
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
    }

    private async Task WaitForStopAsync(CancellationToken stop)
    {
        try
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, time, stop);
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
    }

    /// <summary>When the last successful renewal started (a timestamp of the controller's clock), shared with the watchdog.</summary>
    private sealed class Renewal(long at)
    {
        private long _at = at;

        public long At
        {
            get => Volatile.Read(ref _at);
            set => Volatile.Write(ref _at, value);
        }
    }
}
