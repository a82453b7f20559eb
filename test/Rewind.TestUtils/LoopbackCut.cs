using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Rewind.TestUtils;

/// <summary>
/// A TCP relay on 127.0.0.1 in front of a server, which a test can cut (every connection through it ends at once, and
/// new ones are closed as soon as they are accepted) and heal: a network partition between one client and the server,
/// with real sockets on both sides.
/// </summary>
public sealed class LoopbackCut : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<TcpClient, TcpClient> _pairs = new();
    private readonly Task _accepting;
    private volatile bool _cut;

    public LoopbackCut(int targetPort)
    {
        _target = targetPort;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    /// <summary>e.g. <c>http://127.0.0.1:41234</c>: the relay, to give the client instead of the server.</summary>
    public string Url => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    /// <summary>Ends every connection through the relay and refuses new ones until <see cref="Heal"/>.</summary>
    public void Cut()
    {
        _cut = true;
        foreach (var (client, server) in _pairs)
        {
            Close(client, server);
        }
    }

    public void Heal() => _cut = false;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        Cut();
        try
        {
            await _accepting;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // stopped
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            var server = new TcpClient();
            try
            {
                if (_cut)
                {
                    client.Client.LingerState = new LingerOption(true, 0); // a reset, as a dropped route would end in
                    Close(client, server);
                    continue;
                }

                await server.ConnectAsync(IPAddress.Loopback, _target, _stop.Token);
                _pairs[client] = server;
                if (_cut)
                {
                    Close(client, server); // cut while this one was being connected
                    continue;
                }
            }
            catch (Exception ex) when (ex is SocketException or IOException or ObjectDisposedException)
            {
                // a client gone before it was relayed: the relay goes on with the next one
                Close(client, server);
                continue;
            }

            _ = Task.WhenAll(PumpAsync(client, server), PumpAsync(server, client)).ContinueWith(_ => Close(client, server), TaskScheduler.Default);
        }
    }

    private async Task PumpAsync(TcpClient from, TcpClient to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            var source = from.GetStream();
            var sink = to.GetStream();
            int read;
            while ((read = await source.ReadAsync(buffer, _stop.Token)) > 0)
            {
                await sink.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
        {
            // the other side, or a cut, ended it
        }
        finally
        {
            Close(from, to);
        }
    }

    private void Close(TcpClient client, TcpClient server)
    {
        _pairs.TryRemove(client, out _);
        _pairs.TryRemove(server, out _);
        client.Dispose();
        server.Dispose();
    }
}
