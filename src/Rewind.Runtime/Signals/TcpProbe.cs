using System.Net.Sockets;
using Rewind.Core.Configuration;
using Rewind.Core.Signals;

namespace Rewind.Runtime.Signals;

/// <summary>Passes when a TCP connection opens within the probe's timeout.</summary>
public sealed class TcpProbe(TimeProvider? timeProvider = null) : IProbe
{
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    public async Task<ProbeSample> RunAsync(string component, string probe, ProbeConfig config, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        var at = _time.GetUtcNow();
        var started = _time.GetTimestamp();
        if (config.Tcp is not { } tcp)
        {
            return new ProbeSample(component, probe, at, false, 0, "not a tcp probe");
        }

        using var timeout = new CancellationTokenSource(config.Timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(tcp.Host, tcp.Port, linked.Token);
            return new ProbeSample(component, probe, at, true, _time.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new ProbeSample(component, probe, at, false, _time.GetElapsedTime(started).TotalMilliseconds, $"timeout after {Durations.Format(config.Timeout)}");
        }
        catch (SocketException ex)
        {
            var reason = ex.SocketErrorCode == SocketError.ConnectionRefused ? $"connection refused: {tcp.Host}:{tcp.Port}" : ex.SocketErrorCode.ToString();
            return new ProbeSample(component, probe, at, false, _time.GetElapsedTime(started).TotalMilliseconds, reason);
        }
    }
}
