using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Rewind.Dashboard.Tests;

/// <summary>
/// Another site on loopback: a tiny HTTP listener that answers every request with one fixed HTML page. It is reached as
/// <c>http://localhost:PORT</c> while the dashboard is <c>http://127.0.0.1:PORT</c>, so the browser treats it as a
/// different site (the host differs), and the dashboard's SameSite cookies do not go with requests it makes.
/// </summary>
internal sealed class HostilePage : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _serving;
    private readonly byte[] _response;

    public HostilePage(string html)
    {
        var body = Encoding.UTF8.GetBytes(html);
        _response = [.. Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n")), .. body];
        _listener.Start();
        _serving = ServeAsync(_stop.Token);
    }

    public string Url => string.Create(CultureInfo.InvariantCulture, $"http://localhost:{((IPEndPoint)_listener.LocalEndpoint).Port}/");

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _serving;
        }
        catch (OperationCanceledException)
        {
            // stopped
        }

        _stop.Dispose();
    }

    private async Task ServeAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(cancellationToken);
            _ = AnswerAsync(client, cancellationToken); // each on its own: a browser's idle preconnect must not block the page
        }
    }

    private async Task AnswerAsync(TcpClient client, CancellationToken cancellationToken)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var request = new StringBuilder();
                var buffer = new byte[4096];
                while (!request.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
                {
                    var read = await stream.ReadAsync(buffer, cancellationToken);
                    if (read == 0)
                    {
                        return;
                    }

                    request.Append(Encoding.ASCII.GetString(buffer, 0, read));
                }

                await stream.WriteAsync(_response, cancellationToken);
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException)
            {
                // the browser went away, or the page is being stopped
            }
        }
    }
}
