using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Headers;
using System.Reflection;
using Rewind.Cli.Commands;
using Rewind.Client;
using Rewind.Core.Configuration;
using Rewind.Core.Runbooks;
using Rewind.Runtime.Runbooks;

namespace Rewind.Cli.Agent;

/// <summary>
/// The servers an agent talks to (one or several replicas), how it proves who it is, and where its journal is; and the
/// config file of the clusters on its host (<see cref="ConfigPath"/>, read once at start), for their backup steps.
/// </summary>
internal sealed record AgentOptions(IReadOnlyList<Uri> Servers, string Token, string Journal, Func<Uri, HttpMessageHandler> Handler)
{
    public Core.Configuration.RewindConfig? Config { get; init; }

    public string? ConfigPath { get; init; }
}

/// <summary>
/// <c>rewind agent</c>: polls the controller for its host's work (a long poll, so a step is taken within moments of being
/// stored), runs each step with the same runners the controller uses (switch, restart, files restore, command), and
/// reports it. Every step is journaled before it acts and after it ended (<see cref="AgentJournal"/>): a step the
/// controller hands out again is never run twice — its journaled outcome is reported, or, when the agent died while it
/// ran, what can be read back (a switch's link, a files restore's files), else "unknown".
/// </summary>
internal sealed class AgentProcess(AgentOptions options, TextWriter log, TimeProvider time)
{
    /// <summary>How long ended (and reported) journal entries are kept.</summary>
    private static readonly TimeSpan JournalKept = TimeSpan.FromDays(7);

    /// <summary>How often the host's last known goods are fetched again for a break glass.</summary>
    private static readonly TimeSpan KnownGoodEvery = TimeSpan.FromSeconds(10);

    /// <summary>How many steps of different rollbacks run at once on one host.</summary>
    private const int MaxRunning = 8;

    private static readonly string Version = typeof(AgentProcess).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "dev";
    private readonly AgentJournal _journal = new(options.Journal);
    private readonly DateTimeOffset _startedAt = time.GetUtcNow();
    private string _instance = "";
    private string? _host;
    private string? _backupsRefused;
    private DateTimeOffset _knownGoodAt = DateTimeOffset.MinValue;
    private readonly ConcurrentDictionary<string, Task> _running = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, CancellationTokenSource> _stops = new(StringComparer.Ordinal);
    private readonly AgentSteps _steps = new(time, options.Config, options.ConfigPath);
    private readonly ConcurrentDictionary<Uri, RewindClient> _clients = new();
    private readonly Lock _logLock = new();
    private int _server;

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        _instance = _journal.Instance();
        Log($"agent {_instance} ({Version}) started; journal {_journal.Directory}; servers {string.Join(", ", options.Servers)}{(options.ConfigPath is { } config ? $"; clusters of {config}" : "")}");
        var probes = AgentProbes.Create(options, Log, time).RunAsync(cancellationToken);
        var failures = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await ReportJournaledAsync(cancellationToken);
                var work = await WithClientAsync(client => client.PollAgentWorkAsync(new AgentPollRequest(_instance, Version, _startedAt, (int)Core.Agents.AgentLiveness.LongPoll.TotalSeconds), cancellationToken));
                if (failures > 0)
                {
                    Log($"connected to {options.Servers[_server]} as {work.Host}");
                }

                failures = 0;
                _host = work.Host;
                await DispatchAsync(work, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (RewindApiException ex) when (ex.Status == 409)
            {
                Log($"{options.Servers[_server]} refused this agent: {ex.Message}");
                if (!await PauseAsync(20, cancellationToken))
                {
                    break;
                }
            }
            catch (RewindApiException ex) when (ex.Status is 401 or 403)
            {
                Log($"refused by {options.Servers[_server]}: {ex.Message}; the agent token is not good for this controller (rewind agent token create HOST)");
                return ExitCodes.Failed;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or RewindApiException or IOException or System.Net.Sockets.SocketException) // a connection cut while it opens can surface as a bare SocketException
            {
                failures++;
                var was = options.Servers[_server];
                _server = (_server + 1) % options.Servers.Count;
                Log($"cannot poll {was}: {ex.Message}; trying {options.Servers[_server]}");
                if (!await PauseAsync(failures, cancellationToken))
                {
                    break;
                }
            }
        }

        Log("stopping: waiting for the steps that run");
        await Task.WhenAll(_running.Values);
        await probes;
        return ExitCodes.Ok;
    }

    /// <summary>
    /// Starts the attempts handed out that do not run yet, and ends those whose rollback ended: one running here is
    /// stopped; one not running here is closed in the journal (reported before the next poll), so that it is not named
    /// again: never started, it was not run; started by an earlier run of the agent, its effect is unknown.
    /// </summary>
    private async Task DispatchAsync(AgentWorkDto work, CancellationToken stopping)
    {
        foreach (var attempt in work.Attempts.Where(a => !_running.ContainsKey(a.Id)).Take(MaxRunning - _running.Count))
        {
            var stop = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            _stops[attempt.Id] = stop;
            var handling = new Task<Task>(() => HandleAsync(attempt, stop.Token, stopping));
            _running[attempt.Id] = handling.Unwrap(); // known as running before it can end and forget itself
            handling.Start(TaskScheduler.Default);
        }

        foreach (var id in work.Stop.Where(AgentJournal.IsValidId))
        {
            if (_stops.TryGetValue(id, out var stop))
            {
                await StopAsync(id, stop);
                continue;
            }

            var entry = _running.ContainsKey(id) ? null : _journal.Read(id);
            if (!_running.ContainsKey(id) && entry is not { Status: not null })
            {
                var now = time.GetUtcNow();
                var closed = entry is null
                    ? _journal.Finished(_journal.Started(id, now), "failed", "not run: its rollback ended on the controller before this agent ran it", now)
                    : _journal.Finished(entry, "unknown", Joined(entry.Said, $"the agent stopped while it ran this step (started at {Timestamps.Format(entry.StartedAt)}), and its rollback ended on the controller meanwhile: whether it took effect is unknown; a person must look"), now);
                Log($"{id}: its rollback ended on the controller; {closed.Status}: {FirstLine(closed.Output)}");
            }
        }
    }

    private async Task StopAsync(string id, CancellationTokenSource stop)
    {
        try
        {
            if (!stop.IsCancellationRequested)
            {
                Log($"{id}: its rollback ended on the controller (aborted, or failed) while the step ran here: stopping it");
                await stop.CancelAsync();
            }
        }
        catch (ObjectDisposedException)
        {
            // it ended meanwhile, and reports how
        }
    }

    /// <summary>
    /// One attempt: run it unless the journal says it ran; report how it ended. <paramref name="stop"/> fires when the
    /// controller says its rollback ended (the step is stopped, its processes ended, and that is reported), or when the
    /// agent stops (<paramref name="stopping"/>: nothing is reported; the journal keeps it as started).
    /// </summary>
    private async Task HandleAsync(AgentAttemptDto attempt, CancellationToken stop, CancellationToken stopping)
    {
        try
        {
            if (!AgentJournal.IsValidId(attempt.Id))
            {
                Log($"refused an attempt with the id '{attempt.Id}': not an attempt id");
                return;
            }

            var entry = _journal.Read(attempt.Id);
            if (entry is not { Status: not null })
            {
                entry = await RunAsync(attempt, entry, stop);
            }

            Log($"{attempt.Id}: {entry.Status}: {FirstLine(entry.Output)}");
            await ReportAsync(entry, stopping);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested && !stopping.IsCancellationRequested && _journal.Read(attempt.Id) is { Status: null } started)
        {
            // the controller's rollback ended: the step was stopped here, its processes ended
            var stopped = _journal.Finished(started, "failed", Joined(started.Said, "stopped on the host: the rollback ended on the controller (aborted, or failed) while this step ran; its processes were ended"), time.GetUtcNow());
            Log($"{attempt.Id}: {stopped.Status}: stopped");
            await ReportAsync(stopped, stopping);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // stopping: what started is journaled; the next start finds it
        }
        finally
        {
            _running.TryRemove(attempt.Id, out _);
            if (_stops.TryRemove(attempt.Id, out var source))
            {
                source.Dispose();
            }
        }
    }

    /// <summary>
    /// Runs the attempt's steps (one, or a fleet host's sequence) from the first not journaled as done. An entry started
    /// by an earlier run of this agent, which died while a step ran, is read back first: in place, that step counts as
    /// done and the rest run; else the attempt ends as unknown, and nothing runs again.
    /// </summary>
    private async Task<JournalEntry> RunAsync(AgentAttemptDto attempt, JournalEntry? entry, CancellationToken cancellationToken)
    {
        IReadOnlyList<PlanStep> steps;
        try
        {
            var step = PlanStepJson.Deserialize(attempt.Plan.GetRawText());
            steps = step is SequenceStep sequence ? sequence.Steps : [step];
        }
        catch (System.Text.Json.JsonException ex)
        {
            return _journal.Finished(entry ?? _journal.Started(attempt.Id, time.GetUtcNow()), "failed", $"this agent ({Version}) cannot read the step: {ex.Message}", time.GetUtcNow());
        }

        if (entry is null && attempt.HandedBefore && attempt.HandedTo != _instance)
        {
            // taken by another instance of this host's agent (a journal lost or moved): it may have run it
            return _journal.Finished(_journal.Started(attempt.Id, time.GetUtcNow()), "unknown", $"this step was handed to agent instance {attempt.HandedTo ?? "unknown"} of this host, and this agent's journal ({_journal.Directory}) has no record of it: whether it ran is unknown, and it is not run again by itself; a person must look", time.GetUtcNow());
        }

        if (entry is null)
        {
            entry = _journal.Started(attempt.Id, time.GetUtcNow());
            Log($"{attempt.Id}: running {attempt.Description}");
        }
        else if (entry.Done < steps.Count)
        {
            if (_steps.InPlace(steps[entry.Done]) is not { } inPlace)
            {
                return _journal.Finished(entry, "unknown", Joined(entry.Said, Interrupted(steps[entry.Done], entry)), time.GetUtcNow());
            }

            entry = _journal.Progressed(entry, $"found in place after the agent restarted, not run again: {inPlace}");
        }

        var context = new StepContext(attempt.RollbackId, attempt.Step - 1, NoLedger.Instance, StepContext.ProcessEnvironment);
        for (var i = entry.Done; i < steps.Count; i++)
        {
            var outcome = await _steps.RunAsync(steps[i], context, cancellationToken);
            if (!outcome.Succeeded)
            {
                return _journal.Finished(entry, "failed", Joined(entry.Said, outcome.Output), time.GetUtcNow());
            }

            entry = _journal.Progressed(entry, outcome.Output);
        }

        return _journal.Finished(entry, "succeeded", entry.Said ?? "", time.GetUtcNow());
    }

    private static string Joined(string? before, string last) => before is null ? last : $"{before}\n{last}";

    private static string Interrupted(PlanStep step, JournalEntry entry) =>
        $"the agent stopped while it ran this step (started at {Timestamps.Format(entry.StartedAt)}): whether '{step.Describe()}' took effect is unknown, and it is not run again by itself; a person must look";

    /// <summary>Sends the outcome until a controller has it; a repeat after a reconnect changes nothing there.</summary>
    private async Task ReportAsync(JournalEntry entry, CancellationToken cancellationToken)
    {
        for (var tries = 1; ; tries++)
        {
            try
            {
                var answer = await WithClientAsync(client => client.ReportAgentAttemptAsync(entry.Id, new AgentReportRequest(entry.Status!, entry.Output ?? "", entry.FinishedAt ?? time.GetUtcNow()), cancellationToken));
                if (!answer.Accepted)
                {
                    Log($"{entry.Id}: {answer.Detail}");
                }

                _journal.Reported(entry);
                return;
            }
            catch (RewindApiException ex) when (ex.Status is 400 or 401 or 403 or 404)
            {
                Log($"{entry.Id}: the report was refused ({ex.Message}); the journal keeps the outcome, marked so, and does not send it again");
                _journal.Reported(entry with { Output = $"{entry.Output} (report refused: {ex.Message})" });
                return;
            }
            catch (Exception ex) when ((ex is HttpRequestException or TaskCanceledException or RewindApiException or IOException or System.Net.Sockets.SocketException) && !cancellationToken.IsCancellationRequested)
            {
                _server = (_server + 1) % options.Servers.Count;
                if (!await PauseAsync(tries, cancellationToken))
                {
                    return; // stopping: the journal keeps it as not reported, and the next start reports it
                }
            }
        }
    }

    /// <summary>
    /// Reports what ended while no controller could be told (the agent was cut off, or stopped right after), and
    /// break-glass rollbacks run meanwhile; keeps the host's last known goods fresh for the next break glass; and, every
    /// 10 s, sends what it measured of the backup repositories of the clusters on its host (<see cref="AgentBackups"/>).
    /// </summary>
    private async Task ReportJournaledAsync(CancellationToken cancellationToken)
    {
        foreach (var entry in _journal.Unreported().Where(e => !_running.ContainsKey(e.Id)))
        {
            await ReportAsync(entry, cancellationToken);
        }

        foreach (var glass in _journal.UnreportedBreakGlass())
        {
            try
            {
                var answer = await WithClientAsync(client => client.ReportBreakGlassAsync(new BreakGlassReportRequest(glass.Id, glass.Component, glass.FromVersion, glass.ToVersion, glass.RunBy, glass.Succeeded, glass.Output, glass.RanAt), cancellationToken));
                Log($"break-glass rollback {glass.Id} of {glass.Component} reported{(answer.Recorded ? "" : " (it was already)")}");
            }
            catch (RewindApiException ex) when (ex.Status is 400 or 403 or 404)
            {
                Log($"break-glass rollback {glass.Id} of {glass.Component}: the report was refused ({ex.Message}); not sent again");
            }

            _journal.SaveBreakGlass(glass with { Reported = true });
        }

        if (time.GetUtcNow() - _knownGoodAt >= KnownGoodEvery)
        {
            _journal.SaveKnownGood(await WithClientAsync(client => client.GetAgentKnownGoodAsync(cancellationToken)));
            _knownGoodAt = time.GetUtcNow();
            _journal.Prune(time.GetUtcNow() - JournalKept);
            await ReportBackupsAsync(cancellationToken);
        }
    }

    /// <summary>Sends what the agent measured of its host's cluster repositories; a refusal (the controller's config differs) is logged once, not fatal.</summary>
    private async Task ReportBackupsAsync(CancellationToken cancellationToken)
    {
        if (options.Config is not { } clusters || _host is not { } host || await AgentBackups.MeasureAsync(clusters, host, cancellationToken) is not { Count: > 0 } measured)
        {
            return;
        }

        try
        {
            await WithClientAsync(client => client.ReportAgentBackupsAsync(new AgentBackupsRequest(measured), cancellationToken));
            _backupsRefused = null;
        }
        catch (RewindApiException ex) when (ex.Status is 400 or 403 or 404)
        {
            if (ex.Message != _backupsRefused)
            {
                Log($"the controller refused the measurement of this host's backup repositories: {ex.Message}; its config and this agent's (--config) must declare the same clusters on {host}");
            }

            _backupsRefused = ex.Message;
        }
    }

    /// <summary>Waits a little longer after each failure in a row (up to 5 s); false when the agent is stopping.</summary>
    private async Task<bool> PauseAsync(int failures, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(5000, 250 * failures)), time, cancellationToken);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Calls the current server, with one client (and its connections) per server for the agent's life.</summary>
    private Task<T> WithClientAsync<T>(Func<RewindClient, Task<T>> call)
    {
        var server = options.Servers[_server];
        var client = _clients.GetOrAdd(server, address =>
        {
            var http = new HttpClient(options.Handler(address), disposeHandler: true) { BaseAddress = address, Timeout = Core.Agents.AgentLiveness.LongPoll + TimeSpan.FromSeconds(10) };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options.Token);
            return new RewindClient(http);
        });
        return call(client);
    }

    private void Log(string line)
    {
        lock (_logLock)
        {
            log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{time.GetUtcNow():yyyy-MM-dd HH:mm:ss.fff}Z {line}"));
            log.Flush();
        }
    }

    private static string FirstLine(string? text) => text is null ? "" : text.Split('\n')[0];
}
