using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text.Json;
using Rewind.Client;
using Rewind.Core.Configuration;
using Rewind.Core.Signals;
using Rewind.Runtime.Processes;
using Rewind.Runtime.Signals;

namespace Rewind.Cli.Agent;

/// <summary>
/// The probes that must run inside the agent's host (<c>host:</c> on a probe): reads them from the controller
/// (<c>GET /api/v1/agent/probes</c>, again every <see cref="ProbesEvery"/>; a changed probe restarts), runs each on its
/// interval with the same probes the controller uses, and sends the samples in batches (<c>POST /api/v1/agent/samples</c>)
/// every <see cref="SendEvery"/>. While no controller answers, the newest samples wait in a bounded buffer
/// (<see cref="AgentSampleBuffer"/>); older ones are dropped and counted. Probe configs and samples are never logged.
/// </summary>
internal sealed class AgentProbes(AgentOptions options, IProbe probe, Action<string> log, TimeProvider time)
{
    /// <summary>How often the host's probes are read again from the controller.</summary>
    public static readonly TimeSpan ProbesEvery = TimeSpan.FromSeconds(10);

    /// <summary>How often the samples taken meanwhile are sent.</summary>
    public static readonly TimeSpan SendEvery = TimeSpan.FromSeconds(1);

    /// <summary>The most samples in one batch.</summary>
    public const int BatchSize = 500;

    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);
    private readonly AgentSampleBuffer _buffer = new();
    private readonly Dictionary<string, (CancellationTokenSource Stop, Task Loop)> _running = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Uri, RewindClient> _clients = new();
    private string? _version;
    private DateTimeOffset _probesAt = DateTimeOffset.MinValue;
    private int _server;
    private bool _cutOff;

    /// <summary>The agent's probes with the runtime's probe of every kind (http, tcp, command, postgres).</summary>
    public static AgentProbes Create(AgentOptions options, Action<string> log, TimeProvider time) =>
        new(options, new Prober(new HttpProbe(time), new TcpProbe(time), new CommandProbe(new ProcessRunner(time), time), new PostgresProbe(time)), log, time);

    /// <summary>The samples not sent yet.</summary>
    internal AgentSampleBuffer Buffer => _buffer;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                if (!await LookAsync(cancellationToken))
                {
                    return;
                }

                await Task.Delay(SendEvery, time, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // stopping
        }
        finally
        {
            await StopAllAsync();
        }
    }

    /// <summary>Reads the host's probes when due and sends what was taken; false when the controller refuses the token.</summary>
    private async Task<bool> LookAsync(CancellationToken cancellationToken)
    {
        var server = options.Servers[_server];
        try
        {
            if (time.GetUtcNow() - _probesAt >= ProbesEvery)
            {
                await RefreshAsync(cancellationToken);
            }

            await SendAsync(cancellationToken);
            if (_cutOff)
            {
                _cutOff = false;
                log($"probes: {server} takes the samples again");
            }
        }
        catch (RewindApiException ex) when (ex.Status == 401)
        {
            log($"probes: refused by {server}: {ex.Message}; no probe runs");
            return false;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // No answer, an error status, a connection cut while it opened (a bare SocketException), a config this agent
            // cannot read: the probes that run go on, and the next look tries the next server.
            _server = (_server + 1) % options.Servers.Count;
            if (!_cutOff)
            {
                _cutOff = true;
                log($"probes: cannot reach {server}: {ex.Message}; the newest {_buffer.Capacity} samples are kept meanwhile, older ones dropped");
            }
        }

        return true;
    }

    /// <summary>Starts the probes the host runs now and stops those it no longer runs (or whose config changed).</summary>
    private async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var probes = await WithClient().GetAgentProbesAsync(cancellationToken);
        _probesAt = time.GetUtcNow();
        if (string.Equals(probes.Version, _version, StringComparison.Ordinal))
        {
            return;
        }

        var wanted = probes.Probes.ToDictionary(p => $"{p.Component}/{p.Probe}\n{p.Config.GetRawText()}", StringComparer.Ordinal);
        foreach (var key in _running.Keys.Where(k => !wanted.ContainsKey(k)).ToList())
        {
            await StopAsync(key);
        }

        foreach (var (key, dto) in wanted.Where(w => !_running.ContainsKey(w.Key)))
        {
            if (Read(dto) is not { } config)
            {
                log($"probes: this agent cannot read the config of {dto.Component}/{dto.Probe}; it does not run it (a newer controller than this agent?)");
                continue;
            }

            var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            _running[key] = (stop, Task.Run(() => RunProbeAsync(dto, config, stop.Token), CancellationToken.None));
        }

        _version = probes.Version;
        log(probes.Probes.Count == 0
            ? "probes: this host runs none"
            : $"probes: this host runs {string.Join(", ", probes.Probes.Select(p => $"{p.Component}/{p.Probe} every {Durations.Format(TimeSpan.FromSeconds(p.IntervalSeconds))}"))}");
    }

    private static ProbeConfig? Read(AgentProbeDto dto)
    {
        try
        {
            return dto.Config.Deserialize<ProbeConfig>(s_json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Runs one probe on its interval; a run that ends late moves the next one, never runs two at once.</summary>
    private async Task RunProbeAsync(AgentProbeDto dto, ProbeConfig config, CancellationToken cancellationToken)
    {
        var interval = TimeSpan.FromSeconds(Math.Max(0.1, dto.IntervalSeconds));
        var due = time.GetUtcNow();
        while (!cancellationToken.IsCancellationRequested)
        {
            ProbeSample sample;
            try
            {
                sample = await probe.RunAsync(dto.Component, dto.Probe, config, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // A probe that throws is a bug, but it must not stop the probe's loop: the run counts as failed.
                sample = new ProbeSample(dto.Component, dto.Probe, time.GetUtcNow(), false, 0, "probe error: " + ex.Message);
            }

            _buffer.Add(new AgentSampleDto(sample.Component, sample.Probe, sample.At, sample.Success, sample.LatencyMs, sample.Error));
            var now = time.GetUtcNow();
            due = due + interval > now ? due + interval : now;
            try
            {
                await Task.Delay(due - now, time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Sends the buffered samples, oldest first, in batches. A batch the controller refuses is dropped and the probes read again.</summary>
    private async Task SendAsync(CancellationToken cancellationToken)
    {
        while (_buffer.Peek(BatchSize) is { } batch && (batch.Samples.Count > 0 || batch.Dropped > 0))
        {
            try
            {
                await WithClient().PostAgentSamplesAsync(batch, cancellationToken);
            }
            catch (RewindApiException ex) when (ex.Status is 400 or 403 or 422)
            {
                log($"probes: {batch.Samples.Count} samples refused ({ex.Message}); dropped, and the host's probes read again");
                _probesAt = DateTimeOffset.MinValue;
            }

            _buffer.Sent(batch);
            if (batch.Samples.Count < BatchSize)
            {
                return;
            }
        }
    }

    private async Task StopAllAsync()
    {
        foreach (var key in _running.Keys.ToList())
        {
            await StopAsync(key);
        }
    }

    private async Task StopAsync(string key)
    {
        var (stop, loop) = _running[key];
        _running.Remove(key);
        await stop.CancelAsync();
        await loop;
        stop.Dispose();
    }

    /// <summary>The current server's client, one per server for the agent's life.</summary>
    private RewindClient WithClient() => _clients.GetOrAdd(options.Servers[_server], address =>
    {
        var http = new HttpClient(options.Handler(address), disposeHandler: true) { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options.Token);
        return new RewindClient(http);
    });
}
